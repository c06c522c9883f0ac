import Foundation
import NNProtocols

/// Categorical cross-entropy on probabilities (e.g. the output of a softmax layer), as Keras's
/// `categorical_crossentropy` and `sparse_categorical_crossentropy`; also registered as
/// `categorical_cross_entropy`.
///
/// Unlike PyTorch's `NLLLoss`, which takes log-probabilities, it takes probabilities and takes the
/// log itself, after clamping each probability to `[ε, 1]` so the log stays finite:
/// `L = −(1/m)·Σᵢ Σⱼ qᵢⱼ·log(clip(pᵢⱼ, ε, 1))`, the mean over the `m` rows of the batch, where `qᵢ`
/// is one-hot for a class index (`[m, 1]` targets, 0-based) or the given row (`[m, C]` targets,
/// one-hot or soft labels); with index targets this is `−mean log p[target]`.
/// Gradient: `−qᵢⱼ/(m·pᵢⱼ)` where `ε ≤ pᵢⱼ ≤ 1`, and 0 where the clamp is active (the loss is flat
/// there). NaN gives NaN. An empty batch has loss 0.
///
/// `CrossEntropy` on the logits (no softmax layer) is more accurate and cheaper.
///
/// - Parameter epsilon: the clamp `ε`, in (0, 0.5]; default 1e-7 (Keras's `epsilon()`).
///
/// See Also: `CrossEntropy`, `BinaryCrossEntropy`.
public struct NegativeLogLikelihood: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "nll"
  static let aliases = ["categorical_cross_entropy"]
  static let summary =
    "categorical cross-entropy on probabilities (after softmax): L = -sum_i log(p_i[y_i]) / m, p clamped to >= eps; "
    + "index or one-hot targets"
  static let optionSpecs = [
    OptionSpec(
      "epsilon", .real(minimum: 0, maximum: 0.5, minimumExclusive: true), default: .real(1e-7),
      help: "probabilities are clamped to [epsilon, 1] so log stays finite")
  ]

  /// The clamp `ε`.
  public let epsilon: Double

  /// A categorical cross-entropy clamping probabilities to `[epsilon, 1]` (`0 < epsilon ≤ 0.5`;
  /// default 1e-7).
  public init(epsilon: Double = 1e-7) {
    precondition(epsilon > 0 && epsilon <= 0.5, "nll: epsilon must be in (0, 0.5]")
    self.epsilon = epsilon
  }
  init(options: Options) { self.init(epsilon: options.real("epsilon")) }

  /// `"nll"` (also when built under its alias `categorical_cross_entropy`).
  public var name: String { Self.registeredName }
  /// `.probabilities`: rows of class probabilities.
  public var expectedOutput: LossInput { .probabilities }
  /// `.classIndices`: one class index per row (one-hot rows are accepted too).
  public var targetEncoding: TargetEncoding { .classIndices }

  /// Targets must be `[m, 1]` class indices in `0..<outputs` or `[m, outputs]` rows of probabilities
  /// summing to 1, with `outputs ≥ 2`.
  public func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem? {
    classTargetProblem(targets, outputs: outputs, loss: name)
  }

  /// The loss, and the gradient when one is given.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func evaluate<S: NNScalar>(
    _ probabilities: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?
  ) -> Double {
    let layout = classTargets(
      predictions: probabilities, targets: targets, gradient: gradient, loss: name)
    let (rows, classes) = (probabilities.rows, probabilities.cols)
    guard rows > 0 else { return 0 }
    let inverseRows = 1 / Double(rows)  // 1/m
    var total = 0.0
    for i in 0..<rows {
      let p = probabilities.base + i * classes
      let g = gradient?.base.advanced(by: i * classes)
      let targetClass =
        layout == .indices ? classIndex(targets[i, 0], row: i, classes: classes, loss: name) : nil
      for j in 0..<classes {
        // qᵢⱼ, the target probability of class j: one-hot for an index target.
        let q = targetClass.map { j == $0 ? 1 : 0 } ?? Double(targets[i, j])
        let probability = Double(p[j])
        let clamped = probability < epsilon ? epsilon : (probability > 1 ? 1 : probability)
        total -= q * log(clamped)  // clamped ≥ ε: the log is finite (NaN only for NaN)
        let isClamped = probability < epsilon || probability > 1
        g?[j] = isClamped ? 0 : S(-q * inverseRows / clamped)
      }
    }
    return total * inverseRows
  }
}
