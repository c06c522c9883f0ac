import Foundation
import NNProtocols

/// How to read a classifier's network outputs: as class probabilities (or, where the outputs cannot
/// be read as probabilities, as scores) and as a predicted class.
///
/// It is derived from declarations only, never from names: the loss's `expectedOutput` and
/// `targetEncoding`, the last layer's `outputForm`, the number of outputs and of classes. The
/// metrics of `run` and `evaluate` and the columns of `predict` all read outputs through it, so they
/// agree.
///
/// | outputs                                   | per row                           | predicted class |
/// |-------------------------------------------|-----------------------------------|-----------------|
/// | a distribution (softmax layer)            | the probabilities (renormalized)  | argmax          |
/// | logits, several (cross-entropy)           | softmax of the logits             | argmax          |
/// | logits, several (per-unit sigmoid loss)   | sigmoids, normalized to sum to 1  | argmax          |
/// | logits, one                               | `[1 − σ(z), σ(z)]`                | `z ≥ 0`         |
/// | values in [0, 1], several (sigmoid units) | the values, normalized to sum to 1| argmax          |
/// | a value in [0, 1], one                    | `[1 − p, p]`                      | `p ≥ 0.5`       |
/// | anything else (unbounded, or ±1 targets)  | the raw outputs, called scores    | argmax, or one output ≥ the midpoint of the two target values (0.5 for 0/1, 0 for ±1) |
///
/// Normalizing independent sigmoids (one-vs-rest) is what scikit-learn's `OneVsRestClassifier` does
/// for `predict_proba`; it keeps the argmax.
public struct OutputReading: Sendable, Equatable {
  /// What the network's outputs are, as far as reading them as classes goes.
  public enum Kind: Sendable, Equatable {
    /// Each row is already a probability distribution.
    case distribution
    /// Scores to be turned into a distribution by softmax.
    case softmaxLogits
    /// Scores each turned into a probability by the sigmoid (one output: the second class's).
    case sigmoidLogits
    /// Each output is a probability in [0, 1] (one output: the second class's).
    case unitProbabilities
    /// Values that are not probabilities (a regression loss on unbounded outputs, a margin loss).
    case scores
  }

  /// What the outputs are.
  public var kind: Kind
  /// The number of classes.
  public var classCount: Int
  /// The number of network outputs (1 for a single-output binary classifier, else `classCount`).
  public var outputCount: Int
  /// For a single output: the raw output at or above which the row is class 1 (0 for logits and ±1
  /// targets, 0.5 for probabilities and 0/1 targets).
  public var threshold: Double

  /// The reading for a network whose last layer produces `outputForm`, trained with `loss`.
  public init(loss: any Loss, outputForm: LayerOutputForm, outputCount: Int, classCount: Int) {
    self.classCount = classCount
    self.outputCount = outputCount
    if outputForm == .distribution {
      kind = .distribution
    } else if loss.expectedOutput == .logits {
      kind =
        loss.targetEncoding == .classIndices && outputCount > 1 ? .softmaxLogits : .sigmoidLogits
    } else if outputForm.isProbability, loss.targetEncoding != .signs {
      kind = .unitProbabilities
    } else {
      kind = .scores
    }
    switch kind {
    case .sigmoidLogits, .softmaxLogits: threshold = 0
    case .distribution, .unitProbabilities: threshold = 0.5
    case .scores: threshold = loss.targetEncoding == .signs ? 0 : 0.5
    }
  }

  /// The plain reading used when nothing is declared: class-index targets, argmax, and for one
  /// output a probability thresholded at 0.5.
  public init(classCount: Int, outputCount: Int) {
    kind = outputCount == 1 ? .unitProbabilities : .scores
    self.classCount = classCount
    self.outputCount = outputCount
    threshold = 0.5
  }

  /// Whether `values(of:)` gives probabilities (each row in [0, 1], summing to 1) rather than scores.
  public var givesProbabilities: Bool { kind != .scores }

  /// The prefix of the per-class columns `predict` writes: `p_` for probabilities, `score_` else.
  public var columnPrefix: String { givesProbabilities ? "p_" : "score_" }

  /// The predicted class of one output row.
  public func predictedClass(_ row: [Double]) -> Int {
    if row.count == 1 { return row[0] >= threshold ? 1 : 0 }
    var best = 0
    for col in row.indices.dropFirst() where row[col] > row[best] { best = col }
    return best
  }

  /// The predicted class of every row of `outputs`.
  public func predictedClasses<S: NNScalar>(_ outputs: Matrix<S>) -> [Int] {
    (0..<outputs.rows).map { row in
      predictedClass((0..<outputs.cols).map { Double(outputs[row, $0]) })
    }
  }

  /// One row's per-class values: the class probabilities (see the table above), or, for `.scores`,
  /// the raw outputs (for a single output, the output alone).
  public func values(of row: [Double]) -> [Double] {
    switch kind {
    case .scores:
      return row
    case .softmaxLogits:
      let maximum = row.max() ?? 0
      let exps = row.map { Foundation.exp($0 - maximum) }
      let total = exps.reduce(0, +)
      return exps.map { $0 / total }
    case .sigmoidLogits:
      return Self.normalized(row.map(Self.sigmoid))
    case .unitProbabilities, .distribution:
      // A distribution computed in single precision sums to 1 within ~1e-7: divided by its sum in
      // double precision it sums to 1 as printed.
      return Self.normalized(row.map { min(max($0, 0), 1) })
    }
  }

  /// The logistic function `1 / (1 + e^(−z))`, stable for large `|z|`.
  static func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z))
  }

  /// `[1 − p, p]` for a single probability; several divided by their sum (uniform if it is 0).
  static func normalized(_ probabilities: [Double]) -> [Double] {
    if probabilities.count == 1 { return [1 - probabilities[0], probabilities[0]] }
    let total = probabilities.reduce(0, +)
    guard total > 0 else {
      return [Double](repeating: 1 / Double(probabilities.count), count: probabilities.count)
    }
    return probabilities.map { $0 / total }
  }
}
