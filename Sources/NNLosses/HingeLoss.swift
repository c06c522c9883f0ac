import NNProtocols

/// The hinge loss for ±1 targets, as Keras's `hinge`: the margin loss of a perceptron or linear SVM.
///
/// `L = (1/(m·n))·Σᵢⱼ max(0, 1 − yᵢⱼ·aᵢⱼ)`, with gradient `∂L/∂aᵢⱼ = −yᵢⱼ/(m·n)` where the margin
/// `1 − y·a` is positive and 0 elsewhere (0 at the kink `y·a = 1`). Targets are −1 or +1 (the second
/// tutorial's perceptron labels), as `targetEncoding` (`.signs`) declares: the pipeline converts class
/// labels to them (two classes on one output: class 0 → −1, class 1 → +1; several outputs: +1 for the
/// row's class, −1 elsewhere), the standard conversion for a margin loss, so hinge trains on 0/1 class
/// labels. Numbers that are targets in their own right are not converted: `targetProblem` rejects any
/// value other than ±1 (numeric 0/1 targets of a regression file, say) before training. NaN gives NaN.
/// An empty batch has loss 0.
///
/// See Also: `MeanSquaredError`, `BinaryCrossEntropyWithLogits` (for 0/1 labels).
public struct HingeLoss: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "hinge"
  static let summary =
    "hinge loss for -1/+1 targets (Keras hinge; class labels become -1/+1): "
    + "L = sum(max(0, 1 - y*a)) / (m*n)"

  /// The hinge loss (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"hinge"`.
  public var name: String { Self.registeredName }
  /// `.values`: any real predictions (scores; e.g. a linear or tanh output).
  public var expectedOutput: LossInput { .values }
  /// `.signs`: −1 or +1 per output; two class labels are given as −1/+1.
  public var targetEncoding: TargetEncoding { .signs }

  /// Targets must have `outputs` columns, each −1 or +1.
  public func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem? {
    elementwiseTargetProblem(
      targets, outputs: outputs, loss: name, expected: "-1 or +1", allowed: { $0 == 1 || $0 == -1 })
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
      let target = Double(y[i])
      let margin = 1 - target * Double(a[i])
      if margin > 0 {
        sum += margin
        g?[i] = S(-target * scale)
      } else {
        sum += margin.isNaN ? margin : 0
        g?[i] = margin.isNaN ? S(margin) : 0
      }
    }
    return sum * scale
  }
}
