import Foundation
import NNProtocols
import NNTestSupport
import Testing

@testable import NNActivations

@Suite("stable scalar helpers")
struct StableMathTests {
  @Test("stableSigmoid: no overflow at either end, exact where the naive form is safe")
  func sigmoid() {
    #expect(stableSigmoid(-1e4) == 0.0 && stableSigmoid(1e4) == 1.0)
    #expect(stableSigmoid(-Float.greatestFiniteMagnitude) == 0)
    for z in smoothPoints() {
      #expect(isApproximatelyEqual(stableSigmoid(z), 1 / (1 + exp(-z)), relative: 1e-14))
    }
    #expect(stableSigmoid(Double.nan).isNaN)
  }

  @Test("stableSoftplus: log(1 + e^x) without overflow")
  func softplus() {
    #expect(stableSoftplus(1e4) == 1e4 && stableSoftplus(-1e4) == 0.0)
    for z in smoothPoints() {
      #expect(isApproximatelyEqual(stableSoftplus(z), log(1 + exp(z)), relative: 1e-13))
    }
    #expect(stableSoftplus(Double.nan).isNaN)
  }

  @Test("clamps keep NaN and finite values, and move infinities to the largest finite value")
  func clamps() {
    let big = Double.greatestFiniteMagnitude
    #expect(clampedToFinite(Double.infinity) == big && clampedToFinite(-Double.infinity) == -big)
    #expect(clampedBelow(-Double.infinity) == -big && clampedBelow(Double.infinity) == .infinity)
    #expect(clampedToFinite(2.5) == 2.5 && clampedBelow(-2.5) == -2.5)
    #expect(clampedToFinite(Double.nan).isNaN && clampedBelow(Double.nan).isNaN)
  }
}
