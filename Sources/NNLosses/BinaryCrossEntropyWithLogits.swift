import Foundation
import NNProtocols

/// Binary cross-entropy from logits, as PyTorch's `BCEWithLogitsLoss()` (reduction `mean`): the
/// sigmoid and the cross-entropy in one stable formula.
///
/// For a logit `z` and a target `y ∈ [0, 1]`, `−[y·log σ(z) + (1 − y)·log(1 − σ(z))]` equals
/// `max(z, 0) − z·y + log1p(e^(−|z|))`, which never overflows and never takes the log of 0;
/// `L = (1/(m·n))·Σᵢⱼ` of it. Gradient `∂L/∂zᵢⱼ = (σ(zᵢⱼ) − yᵢⱼ)/(m·n)`, bounded by `1/(m·n)`.
/// NaN gives NaN. An empty batch has loss 0.
///
/// See Also: `BinaryCrossEntropy` (on probabilities), `CrossEntropy` (several classes).
public struct BinaryCrossEntropyWithLogits: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "bce_with_logits"
  static let summary =
    "binary cross-entropy from logits (PyTorch BCEWithLogitsLoss): L = sum(max(z,0) - z*y + log1p(exp(-|z|))) / (m*n)"

  /// The binary cross-entropy from logits (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"bce_with_logits"`.
  public var name: String { Self.registeredName }
  /// `.logits`: raw scores; the loss applies the sigmoid itself.
  public var expectedOutput: LossInput { .logits }
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
    var sum = 0.0
    for i in 0..<count {
      let z = Double(a[i])
      let target = Double(y[i])
      let e = exp(-abs(z))  // e^(−|z|) ∈ [0, 1]: never overflows
      sum += (z > 0 ? z : 0) - z * target + log1p(e)
      let sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e)
      g?[i] = S(scale * (sigmoid - target))
    }
    return sum * scale
  }
}
