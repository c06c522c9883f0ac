import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

/// The fixed 2×3 example, worked by hand:
///
/// Row 0, logits [1, 2, 3], target class 2:
///   log Σ e^z = 3 + log(e^(−2) + e^(−1) + 1) = 3 + log(1.5032147243…) = 3.40760596444438,
///   −log s₂ = 3.40760596444438 − 3 = 0.40760596444438;
///   softmax = [e^(−2), e^(−1), 1]/1.5032147243… = [0.0900305732, 0.2447284711, 0.6652409558].
/// Row 1, logits [1, 1, 1], target class 0: softmax uniform, −log s₀ = ln 3 = 1.0986122886681098.
/// Mean over the batch: (0.40760596444438 + 1.0986122886681098)/2 = 0.753109126556245.
/// Gradient (softmax − onehot)/2.
private let logits: [[Double]] = [[1, 2, 3], [1, 1, 1]]
private let indexTargets: [[Double]] = [[2], [0]]
private let oneHotTargets: [[Double]] = [[0, 0, 1], [1, 0, 0]]
private let rowLosses = [0.40760596444438013, 1.0986122886681098]
private let softmaxRow0 = [0.09003057317038048, 0.2447284710547977, 0.665240955774822]
private let third = 1.0 / 3

@Suite("cross_entropy")
struct CrossEntropyTests {
  @Test("the hand-worked 2×3 example, with index and with one-hot targets")
  func knownValues() {
    let gradient = [
      softmaxRow0[0] / 2, softmaxRow0[1] / 2, (softmaxRow0[2] - 1) / 2,
      (third - 1) / 2, third / 2, third / 2,
    ]
    for targets in [indexTargets, oneHotTargets] {
      expectKnown(
        CrossEntropy(), predictions: logits, targets: targets, value: 0.753109126556245,
        gradient: gradient)
    }
  }

  @Test("class weights [0.5, 2, 1]: (1·0.4076… + 0.5·ln 3)/(1 + 0.5), as PyTorch")
  func classWeights() throws {
    let loss = try makeLoss("cross_entropy", [("weights", .realList([0.5, 2, 1]))])
    // Row weights are the weights of the target classes: w₂ = 1, w₀ = 0.5; D = 1.5.
    // Gradient (cᵢ·s − w∘onehot)/D with cᵢ = w of the row's class.
    let gradient = [
      softmaxRow0[0] / 1.5, softmaxRow0[1] / 1.5, (softmaxRow0[2] - 1) / 1.5,
      0.5 * (third - 1) / 1.5, 0.5 * third / 1.5, 0.5 * third / 1.5,
    ]
    for targets in [indexTargets, oneHotTargets] {
      expectKnown(
        loss, predictions: logits, targets: targets, value: 0.63794140585229, gradient: gradient)
    }
  }

  @Test("label smoothing 0.3: targets [0.1, 0.1, 0.8] and [0.8, 0.1, 0.1]")
  func labelSmoothing() throws {
    let loss = try makeLoss("cross_entropy", [("label_smoothing", .real(0.3))])
    // Row 0: −log s = [2.4076…, 1.4076…, 0.4076…], weighted 0.1, 0.1, 0.8: 0.7076059644443802.
    // Row 1: every −log s is ln 3 and the smoothed targets sum to 1: ln 3.
    // Gradient (s − q′)/2.
    let gradient = [
      (softmaxRow0[0] - 0.1) / 2, (softmaxRow0[1] - 0.1) / 2, (softmaxRow0[2] - 0.8) / 2,
      (third - 0.8) / 2, (third - 0.1) / 2, (third - 0.1) / 2,
    ]
    for targets in [indexTargets, oneHotTargets] {
      expectKnown(
        loss, predictions: logits, targets: targets, value: (0.7076059644443802 + log(3)) / 2,
        gradient: gradient)
    }
  }

  @Test("weights with smoothing follow PyTorch: (1−ε)·weighted NLL + ε/C·Σᵢⱼ wⱼ(−log sᵢⱼ)/Σ w_yᵢ")
  func weightsWithSmoothing() {
    let (weights, epsilon) = ([0.5, 2.0, 1.0], 0.2)
    var generator = SeededGenerator(seed: 8)
    let z = randomMatrix(rows: 5, cols: 3, scale: 2, using: &generator, as: Double.self)
    let classes = [0, 2, 1, 1, 2]
    let y = Matrix<Double>(rows: 5, cols: 1, scalars: classes.map(Double.init))
    // PyTorch's formula, from log-softmax computed here independently.
    var nll = 0.0
    var smooth = 0.0
    var totalWeight = 0.0
    for i in 0..<5 {
      let row = (0..<3).map { z[i, $0] }
      let logSum = log(row.map { exp($0) }.reduce(0, +))
      nll += weights[classes[i]] * (logSum - row[classes[i]])
      smooth += (0..<3).map { weights[$0] * (logSum - row[$0]) }.reduce(0, +)
      totalWeight += weights[classes[i]]
    }
    let expected = (1 - epsilon) * nll / totalWeight + epsilon / 3 * smooth / totalWeight
    let loss = CrossEntropy(classWeights: weights, labelSmoothing: epsilon)
    #expect(isApproximatelyEqual(loss.value(predictions: z, targets: y), expected, relative: 1e-13))
  }

  @Test("stable log-sum-exp: logits ±1e4 give exact, finite losses in Float and Double")
  func stability() {
    let z = Matrix<Double>([[1e4, 0, -1e4]])
    #expect(CrossEntropy().value(predictions: z, targets: Matrix([[0]])) == 0)
    #expect(CrossEntropy().value(predictions: z, targets: Matrix([[2]])) == 2e4)
    #expect(
      CrossEntropy().value(predictions: z.converted(to: Float.self), targets: Matrix([[2]])) == 2e4)
    let gradient = Matrix<Double>(rows: 1, cols: 3)
    CrossEntropy().gradient(predictions: z, targets: Matrix([[2]]), into: gradient)
    #expect(gradient.scalars == [1, 0, -1])
  }

  @Test("a batch holding only zero-weight classes has loss 0 and gradient 0")
  func zeroWeightBatch() {
    let loss = CrossEntropy(classWeights: [0, 1, 1])
    let gradient = Matrix<Double>(rows: 2, cols: 3)
    gradient.fill(.nan)
    let value = loss.gradient(
      predictions: Matrix(logits), targets: Matrix([[0], [0]]), into: gradient)
    #expect(value == 0 && gradient.scalars.allSatisfy { $0 == 0 })
  }

  @Test("equals nll of the softmax probabilities")
  func agreesWithNLL() {
    var generator = SeededGenerator(seed: 2)
    let z = randomMatrix(rows: 6, cols: 4, scale: 2, using: &generator, as: Double.self)
    let p = Matrix<Double>(rows: 6, cols: 4)
    for i in 0..<6 {
      let total = (0..<4).map { exp(z[i, $0]) }.reduce(0, +)
      for j in 0..<4 { p[i, j] = exp(z[i, j]) / total }
    }
    let y = Matrix<Double>(rows: 6, cols: 1, scalars: [0, 1, 2, 3, 1, 2])
    #expect(
      isApproximatelyEqual(
        CrossEntropy().value(predictions: z, targets: y),
        NegativeLogLikelihood().value(predictions: p, targets: y), relative: 1e-12))
  }

  @Test("target problems: weight count, index range, one output, bad one-hot rows")
  func targetProblems() {
    let weighted = CrossEntropy(classWeights: [1, 2])
    #expect(
      weighted.targetProblem(Matrix<Double>([[0], [1]]), outputs: 3)?.message.contains(
        "2 class weights") == true)
    #expect(CrossEntropy().targetProblem(Matrix<Double>([[0], [3]]), outputs: 3)?.row == 1)
    #expect(CrossEntropy().targetProblem(Matrix<Double>([[0], [1.5]]), outputs: 3)?.row == 1)
    #expect(CrossEntropy().targetProblem(Matrix<Double>([[0], [-1]]), outputs: 3)?.row == 1)
    #expect(CrossEntropy().targetProblem(Matrix<Double>([[0]]), outputs: 1) != nil)
    #expect(CrossEntropy().targetProblem(Matrix<Double>([[0.5, 0.6, 0]]), outputs: 3)?.row == 0)
    #expect(CrossEntropy().targetProblem(Matrix<Double>([[0, 1]]), outputs: 3) != nil)
    #expect(CrossEntropy().targetProblem(Matrix<Double>(oneHotTargets), outputs: 3) == nil)
  }
}
