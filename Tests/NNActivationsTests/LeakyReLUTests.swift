import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("leaky_relu")
struct LeakyReLUTests {
  @Test("default slope 0.01: z above 0, 0.01·z below, derivative 1 or 0.01")
  func defaultSlope() throws {
    let activation = try makeActivation("leaky_relu")
    expectKnown(activation, at: 2, value: 2, derivative: 1)
    expectKnown(activation, at: -2, value: -0.02, derivative: 0.01)
    #expect((activation as? LeakyReLU)?.slope == 0.01)
  }

  @Test("slope=0.2 from the registry reaches the computation")
  func customSlope() throws {
    let activation = try makeActivation("leaky_relu", [("slope", .real(0.2))])
    expectKnown(activation, at: -5, value: -1, derivative: 0.2)
    expectKnown(activation, at: 5, value: 5, derivative: 1)
  }

  @Test("slope=0 is ReLU, including the limit 0 at −∞")
  func zeroSlope() {
    let leaky = LeakyReLU(slope: 0)
    for z in smoothPoints() + [-.infinity, .infinity, -1e4] {
      #expect(leaky.value(z) == ReLU().value(z), "at \(z)")
    }
    #expect(leaky.value(Double.nan).isNaN)
  }

  @Test("limits: −∞ gives −∞ with a positive slope; NaN gives NaN")
  func limits() {
    #expect(LeakyReLU().value(-Double.infinity) == -.infinity)
    #expect(LeakyReLU().value(Double.nan).isNaN)
    #expect(LeakyReLU().derivative(Double.nan, output: .nan).isNaN)
    #expect(LeakyReLU().derivative(-Double.infinity, output: -.infinity) == 0.01)
  }
}
