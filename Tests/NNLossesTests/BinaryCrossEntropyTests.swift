import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("binary_cross_entropy")
struct BinaryCrossEntropyTests {
  @Test("known values: −(log 0.8 + log 0.7)/2, gradient (p − y)/(p(1 − p))/2")
  func knownValues() {
    // y = 1, p = 0.8: −log 0.8, gradient −0.2/0.16/2 = −0.625.
    // y = 0, p = 0.3: −log 0.7, gradient 0.3/0.21/2 = 1/1.4 = 0.714285…
    expectKnown(
      BinaryCrossEntropy(), predictions: [[0.8, 0.3]], targets: [[1, 0]],
      value: -(log(0.8) + log(0.7)) / 2, gradient: [-0.625, 1 / 1.4])
  }

  @Test("clamped to [ε, 1 − ε]: p = 0 or 1 give finite losses and zero gradients")
  func clamping() {
    let gradient = Matrix<Double>(rows: 1, cols: 2)
    let value = BinaryCrossEntropy().gradient(
      predictions: Matrix([[0, 1]]), targets: Matrix([[1, 1]]), into: gradient)
    // −log(1e-7) for the wrong certainty, −log(1 − 1e-7) ≈ 1e-7 for the right one, over 2.
    #expect(isApproximatelyEqual(value, (-log(1e-7) - log(1 - 1e-7)) / 2, relative: 1e-12))
    #expect(gradient.scalars == [0, 0])
    let custom = BinaryCrossEntropy(epsilon: 0.01)
    #expect(
      isApproximatelyEqual(
        custom.value(predictions: Matrix([[0.0]]), targets: Matrix([[1.0]])), -log(0.01),
        relative: 1e-12))
  }

  @Test("equals bce_with_logits of the logits, away from the clamp")
  func agreesWithLogits() {
    var generator = SeededGenerator(seed: 4)
    let z = randomMatrix(rows: 6, cols: 2, scale: 3, using: &generator, as: Double.self)
    let p = Matrix<Double>(rows: 6, cols: 2, scalars: z.scalars.map { 1 / (1 + exp(-$0)) })
    let y = Matrix<Double>(rows: 6, cols: 2, scalars: (0..<12).map { _ in generator.uniform() })
    #expect(
      isApproximatelyEqual(
        BinaryCrossEntropy().value(predictions: p, targets: y),
        BinaryCrossEntropyWithLogits().value(predictions: z, targets: y), relative: 1e-9))
  }

  @Test("targets must be probabilities")
  func targets() {
    #expect(BinaryCrossEntropy().targetProblem(Matrix<Double>([[0, 1, 0.5]]), outputs: 3) == nil)
    #expect(
      BinaryCrossEntropy().targetProblem(Matrix<Double>([[0, 1.5]]), outputs: 2)?.column == 1)
  }
}
