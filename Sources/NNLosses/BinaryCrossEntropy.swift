import Foundation
import NNProtocols

/// Binary cross-entropy on probabilities (e.g. a sigmoid output), as PyTorch's `BCELoss()` (reduction
/// `mean`) with Keras's clamping.
///
/// Each prediction is first clamped to `c = clip(p, ε, 1 − ε)` so the logarithms stay finite, then
/// `L = −(1/(m·n))·Σᵢⱼ [yᵢⱼ·log cᵢⱼ + (1 − yᵢⱼ)·log(1 − cᵢⱼ)]`.
/// The gradient is the exact derivative of that clamped loss: `(c − y)/(c·(1 − c))/(m·n)` where
/// `ε ≤ p ≤ 1 − ε`, and 0 where the clamp is active (the loss is flat there). Targets are
/// probabilities in [0, 1] (0/1 labels or soft labels). NaN gives NaN. An empty batch has loss 0.
///
/// Training a sigmoid output with this loss works, but `BinaryCrossEntropyWithLogits` on the
/// pre-sigmoid values is more accurate and never saturates.
///
/// - Parameter epsilon: the clamp `ε`, in (0, 0.5]; default 1e-7 (Keras's `epsilon()`), which bounds
///   each term by `−log(1e-7) ≈ 16.1`.
///
/// See Also: `BinaryCrossEntropyWithLogits`, `NegativeLogLikelihood`.
public struct BinaryCrossEntropy: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "binary_cross_entropy"
  static let summary =
    "binary cross-entropy on probabilities: L = -sum(y*log(p) + (1-y)*log(1-p)) / (m*n), p clamped to [eps, 1-eps]"
  static let optionSpecs = [
    OptionSpec(
      "epsilon", .real(minimum: 0, maximum: 0.5, minimumExclusive: true), default: .real(1e-7),
      help: "predictions are clamped to [epsilon, 1 - epsilon] so log stays finite")
  ]

  /// The clamp `ε`.
  public let epsilon: Double

  /// A binary cross-entropy clamping predictions to `[epsilon, 1 − epsilon]` (`0 < epsilon ≤ 0.5`;
  /// default 1e-7).
  public init(epsilon: Double = 1e-7) {
    precondition(epsilon > 0 && epsilon <= 0.5, "binary_cross_entropy: epsilon must be in (0, 0.5]")
    self.epsilon = epsilon
  }
  init(options: Options) { self.init(epsilon: options.real("epsilon")) }

  /// `"binary_cross_entropy"`.
  public var name: String { Self.registeredName }
  /// `.probabilities`: predictions in [0, 1].
  public var expectedOutput: LossInput { .probabilities }
  /// `.unitInterval`: targets in [0, 1] (0/1 labels or probabilities).
  public var targetEncoding: TargetEncoding { .unitInterval }

  /// Targets must have `outputs` columns of probabilities in [0, 1].
  public func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem? {
    elementwiseTargetProblem(
      targets, outputs: outputs, loss: name, expected: "a probability in [0, 1]",
      allowed: { $0 >= 0 && $0 <= 1 })
  }

  /// The loss, and the gradient when one is given.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func evaluate<S: NNScalar>(
    _ predictions: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?
  ) -> Double {
    checkSameShape(predictions, targets, gradient: gradient, loss: name)
    let count = predictions.count
    guard count > 0 else { return 0 }
    let (a, y, g) = (predictions.base, targets.base, gradient?.base)
    let scale = 1 / Double(count)  // 1/(m·n)
    let (low, high) = (epsilon, 1 - epsilon)
    var sum = 0.0
    for i in 0..<count {
      let p = Double(a[i])
      let target = Double(y[i])
      let clamped = p < low ? low : (p > high ? high : p)  // NaN stays NaN
      sum -= target * log(clamped) + (1 - target) * log(1 - clamped)
      let isClamped = p < low || p > high
      g?[i] = isClamped ? 0 : S(scale * (clamped - target) / (clamped * (1 - clamped)))
    }
    return sum * scale
  }
}
