import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("softplus")
struct SoftplusTests {
  @Test("known values: softplus(0) = ln 2, softplus(ln 3) = ln 4")
  func knownValues() {
    // log(1 + 1) = ln 2, derivative σ(0) = ½.
    expectKnown(Softplus(), at: 0, value: log(2), derivative: 0.5)
    // log(1 + 3) = ln 4, derivative σ(ln 3) = ¾.
    expectKnown(Softplus(), at: log(3), value: log(4), derivative: 0.75)
  }

  @Test("beta=2 from the registry: softplus(z) = log(1 + e^(2z))/2")
  func beta() throws {
    let softplus = try makeActivation("softplus", [("beta", .real(2))])
    expectKnown(softplus, at: 0, value: log(2) / 2, derivative: 0.5)
    // 2z = ln 3: log(4)/2 = ln 2, derivative σ(ln 3) = ¾.
    expectKnown(softplus, at: log(3) / 2, value: log(2), derivative: 0.75)
  }

  @Test("linear above the threshold (PyTorch's rule), smooth below it")
  func threshold() throws {
    #expect(Softplus().value(20.5) == 20.5)
    #expect(Softplus().derivative(20.5, output: 20.5) == 1)
    #expect(Softplus().value(19.5) > 19.5)
    // threshold=5, beta=2: linear where 2z > 5.
    let custom = try makeActivation("softplus", [("beta", .real(2)), ("threshold", .real(5))])
    #expect(custom.value(2.6) == 2.6)
    expectKnown(
      custom, at: 2.4, value: (4.8 + log1p(exp(-4.8))) / 2, derivative: 1 / (1 + exp(-4.8)))
  }

  @Test("limits: softplus(1e4) = 1e4, softplus(−1e4) = 0, softplus(−20) ≈ e^(−20), ±∞")
  func limits() {
    #expect(Softplus().value(1e4) == 1e4)
    #expect(Softplus().value(Float(1e4)) == 1e4)
    #expect(Softplus().value(-1e4) == 0)
    #expect(isApproximatelyEqual(Softplus().value(-20.0), exp(-20.0), relative: 1e-8))
    #expect(Softplus().value(Double.infinity) == .infinity)
    #expect(Softplus().value(-Double.infinity) == 0)
    #expect(Softplus().value(Double.greatestFiniteMagnitude) == .greatestFiniteMagnitude)
    #expect(bufferPath(Softplus(), at: [1e4, -1e4]).derivatives == [1, 0])
  }
}
