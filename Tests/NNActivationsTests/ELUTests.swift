import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("elu")
struct ELUTests {
  @Test("known values with alpha = 1")
  func defaultAlpha() throws {
    let elu = try makeActivation("elu")
    expectKnown(elu, at: 1, value: 1, derivative: 1)
    // elu(−1) = e^(−1) − 1 = −0.632120558828557…; derivative e^(−1) = a + 1.
    expectKnown(elu, at: -1, value: exp(-1.0) - 1, derivative: exp(-1.0))
    // At 0: value 0, derivative a + α = 1 (smooth for α = 1).
    expectKnown(elu, at: 0, value: 0, derivative: 1)
  }

  @Test("alpha=2 from the registry: elu(−ln 2) = 2(½ − 1) = −1, derivative 2·½ = 1")
  func customAlpha() throws {
    let elu = try makeActivation("elu", [("alpha", .real(2))])
    expectKnown(elu, at: -log(2), value: -1, derivative: 1)
    #expect(elu.value(-Double.infinity) == -2)
  }

  @Test("saturates at −alpha with derivative 0; tiny inputs are exact through expm1")
  func limits() {
    let elu = ELU(alpha: 0.5)
    #expect(elu.value(-1e4) == -0.5 && elu.value(-Double.infinity) == -0.5)
    #expect(elu.derivative(-1e4, output: -0.5) == 0)
    // expm1 keeps full precision: elu(−1e-8) = −1e-8 + 5e-17 − …, times α.
    #expect(isApproximatelyEqual(ELU().value(-1e-8), -1e-8 + 5e-17, relative: 1e-15))
  }
}
