import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("hard_swish")
struct HardSwishTests {
  @Test("known values on each piece")
  func knownValues() {
    // z(z + 3)/6 at 1: 4/6 = 2/3, derivative (2 + 3)/6 = 5/6.
    expectKnown(HardSwish(), at: 1, value: 2.0 / 3, derivative: 5.0 / 6)
    // at −1: −2/6 = −1/3, derivative (−2 + 3)/6 = 1/6.
    expectKnown(HardSwish(), at: -1, value: -1.0 / 3, derivative: 1.0 / 6)
    expectKnown(HardSwish(), at: -4, value: 0, derivative: 0)
    expectKnown(HardSwish(), at: 4, value: 4, derivative: 1)
  }

  @Test("hard_swish(z) = z·hard_sigmoid(z)")
  func relationToHardSigmoid() {
    for z in smoothPoints() {
      #expect(
        isApproximatelyEqual(
          HardSwish().value(z), z * HardSigmoid().value(z), absolute: 1e-15, relative: 1e-14))
    }
  }

  @Test("'hard_silu' is an alias; limits; NaN")
  func aliasAndLimits() throws {
    #expect(try makeActivation("hard_silu") is HardSwish)
    #expect(bufferPath(HardSwish(), at: [-Double.infinity, .infinity]).values == [0, .infinity])
    #expect(HardSwish().value(Double.nan).isNaN)
    #expect(HardSwish().derivative(Double.nan, output: .nan).isNaN)
  }
}
