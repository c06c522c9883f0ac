import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("hard_sigmoid")
struct HardSigmoidTests {
  @Test("known values: clip(z/6 + ½, 0, 1), slope 1/6 between −3 and 3")
  func knownValues() {
    expectKnown(HardSigmoid(), at: 0, value: 0.5, derivative: 1.0 / 6)
    expectKnown(HardSigmoid(), at: 1.5, value: 0.75, derivative: 1.0 / 6)
    expectKnown(HardSigmoid(), at: -3.5, value: 0, derivative: 0)
    expectKnown(HardSigmoid(), at: 4, value: 1, derivative: 0)
  }

  @Test("limits and NaN")
  func limits() {
    #expect(bufferPath(HardSigmoid(), at: [-Double.infinity, .infinity]).values == [0, 1])
    #expect(HardSigmoid().value(Double.nan).isNaN)
    #expect(HardSigmoid().derivative(Double.nan, output: .nan).isNaN)
  }

  @Test("stays within 0.07 of the logistic sigmoid")
  func closeToSigmoid() {
    for z in smoothPoints() {
      #expect(abs(HardSigmoid().value(z) - Sigmoid().value(z)) < 0.07, "at \(z)")
    }
  }
}
