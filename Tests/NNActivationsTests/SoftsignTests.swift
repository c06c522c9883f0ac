import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("softsign")
struct SoftsignTests {
  @Test("known values: z/(1 + |z|), derivative 1/(1 + |z|)²")
  func knownValues() {
    expectKnown(Softsign(), at: 0, value: 0, derivative: 1)
    expectKnown(Softsign(), at: 1, value: 0.5, derivative: 0.25)
    expectKnown(Softsign(), at: -3, value: -0.75, derivative: 1.0 / 16)
  }

  @Test("limits: ±1 at ±∞ (no ∞/∞), 1e4/10001 at 1e4")
  func limits() {
    #expect(bufferPath(Softsign(), at: [-Double.infinity, .infinity]).values == [-1, 1])
    #expect(Softsign().value(Double.greatestFiniteMagnitude) == 1)
    #expect(Softsign().value(1e4) == 1e4 / 10_001)
    #expect(Softsign().derivative(Double.infinity, output: 1) == 0)
  }
}
