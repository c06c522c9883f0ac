import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("hard_tanh")
struct HardTanhTests {
  @Test("known values: clip(z, −1, 1), slope 1 inside")
  func knownValues() {
    expectKnown(HardTanh(), at: 0.3, value: 0.3, derivative: 1)
    expectKnown(HardTanh(), at: -2, value: -1, derivative: 0)
    expectKnown(HardTanh(), at: 5, value: 1, derivative: 0)
  }

  @Test("limits and NaN")
  func limits() {
    #expect(bufferPath(HardTanh(), at: [-Double.infinity, .infinity, -0.0]).values == [-1, 1, 0])
    #expect(HardTanh().value(Double.nan).isNaN)
    #expect(HardTanh().derivative(Double.nan, output: .nan).isNaN)
  }
}
