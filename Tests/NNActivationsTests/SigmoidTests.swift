import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("sigmoid")
struct SigmoidTests {
  @Test("known values: σ(0) = ½, σ(±ln 3) = ¾ and ¼")
  func knownValues() {
    // σ(0) = 1/(1 + 1) = 0.5; σ'(0) = 0.5·0.5 = 0.25.
    expectKnown(Sigmoid(), at: 0, value: 0.5, derivative: 0.25)
    // σ(ln 3) = 1/(1 + 1/3) = 3/4; σ' = 3/4·1/4 = 3/16.
    expectKnown(Sigmoid(), at: log(3), value: 0.75, derivative: 0.1875)
    // σ(−ln 3) = 1/(1 + 3) = 1/4; σ' = 1/4·3/4 = 3/16.
    expectKnown(Sigmoid(), at: -log(3), value: 0.25, derivative: 0.1875)
  }

  @Test("limits: σ(−1e4) = 0, σ(1e4) = 1, σ(−100) tiny positive, ±∞ give 0 and 1")
  func limits() {
    let sigmoid = Sigmoid()
    #expect(sigmoid.value(-1e4) == 0)
    #expect(sigmoid.value(1e4) == 1)
    #expect(sigmoid.value(Float(-1e4)) == 0)
    #expect(sigmoid.value(Float(1e4)) == 1)
    // σ(−100) ≈ e^(−100) ≈ 3.72e-44, far below 1 but representable in Double.
    #expect(isApproximatelyEqual(sigmoid.value(-100.0), exp(-100.0), relative: 1e-12))
    #expect(sigmoid.value(-Double.infinity) == 0 && sigmoid.value(Double.infinity) == 1)
    #expect(bufferPath(sigmoid, at: [-1e4, 1e4, -.infinity, .infinity]).values == [0, 1, 0, 1])
    #expect(sigmoid.derivative(1e4, output: 1) == 0)
  }

  @Test("σ(−z) = 1 − σ(z), and σ(z) = 1/(1 + e^(−z)) where that form does not overflow")
  func identities() {
    let sigmoid = Sigmoid()
    for z in smoothPoints() {
      #expect(isApproximatelyEqual(sigmoid.value(-z), 1 - sigmoid.value(z), relative: 1e-14))
      #expect(isApproximatelyEqual(sigmoid.value(z), 1 / (1 + exp(-z)), relative: 1e-14))
    }
  }

  @Test("σ' ≤ 1/4, the bound behind vanishing gradients in deep sigmoid stacks")
  func derivativeBound() {
    let points = smoothPoints()
    let derivatives = bufferPath(Sigmoid(), at: points).derivatives
    #expect(derivatives.allSatisfy { $0 > 0 && $0 <= 0.25 })
    // Ten stacked sigmoid layers multiply at least ten factors ≤ 1/4 into the gradient.
    #expect(pow(derivatives.max()!, 10) <= 1e-6)
  }
}
