import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("mish")
struct MishTests {
  @Test("known values: mish'(0) = tanh(ln 2) = 0.6; mish(ln 3) = ln 3·15/17")
  func knownValues() {
    // softplus(0) = ln 2, tanh(ln 2) = 3/5: value 0, derivative 3/5 + 0.
    expectKnown(Mish(), at: 0, value: 0, derivative: 0.6)
    // softplus(ln 3) = ln 4, w = tanh(ln 4) = (4 − ¼)/(4 + ¼) = 15/17, σ(ln 3) = ¾:
    // derivative w + z(1 − w²)σ = 15/17 + ln 3·(64/289)·¾ = 15/17 + 48·ln 3/289.
    expectKnown(
      Mish(), at: log(3), value: log(3) * 15 / 17, derivative: 15.0 / 17 + 48 * log(3) / 289)
  }

  @Test("mish(z) = z·tanh(softplus(z))")
  func definition() {
    for z in smoothPoints() {
      let reference = z * tanh(Softplus().value(z))
      #expect(isApproximatelyEqual(Mish().value(z), reference, absolute: 1e-15, relative: 1e-13))
    }
  }

  @Test("saturates without NaN: mish(−∞) = 0, mish(+∞) = +∞, derivatives 0 and 1")
  func limits() {
    #expect(Mish().value(-Double.infinity) == 0 && Mish().value(Double.infinity) == .infinity)
    #expect(Mish().value(-1e4) == 0 && Mish().value(1e4) == 1e4)
    #expect(Mish().derivative(-Double.infinity, output: 0) == 0)
    #expect(Mish().derivative(Double.infinity, output: .infinity) == 1)
  }
}
