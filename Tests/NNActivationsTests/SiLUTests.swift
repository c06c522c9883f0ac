import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("silu")
struct SiLUTests {
  @Test("known values: silu(0) = 0 with slope ½; silu(±ln 3) = ±ln 3·σ(±ln 3)")
  func knownValues() {
    expectKnown(SiLU(), at: 0, value: 0, derivative: 0.5)
    // σ(ln 3) = ¾: silu = ¾·ln 3; derivative σ(1 + z(1 − σ)) = ¾(1 + ln 3/4).
    expectKnown(SiLU(), at: log(3), value: 0.75 * log(3), derivative: 0.75 * (1 + log(3) / 4))
    // σ(−ln 3) = ¼: silu = −¼·ln 3; derivative ¼(1 − ln 3·¾).
    expectKnown(SiLU(), at: -log(3), value: -0.25 * log(3), derivative: 0.25 * (1 - 0.75 * log(3)))
  }

  @Test("silu(z) = z·sigmoid(z)")
  func relationToSigmoid() {
    for z in smoothPoints() {
      #expect(isApproximatelyEqual(SiLU().value(z), z * Sigmoid().value(z), relative: 1e-14))
    }
  }

  @Test("'swish' is an alias building the same activation")
  func alias() throws {
    let swish = try makeActivation("swish")
    #expect(swish is SiLU && swish.name == "silu")
  }

  @Test("saturates without NaN: silu(−∞) = 0, silu(+∞) = +∞, derivatives 0 and 1")
  func limits() {
    #expect(SiLU().value(-Double.infinity) == 0 && SiLU().value(Double.infinity) == .infinity)
    #expect(SiLU().value(-1e4) == 0 && SiLU().value(1e4) == 1e4)
    #expect(SiLU().derivative(-Double.infinity, output: 0) == 0)
    #expect(SiLU().derivative(Double.infinity, output: .infinity) == 1)
  }
}
