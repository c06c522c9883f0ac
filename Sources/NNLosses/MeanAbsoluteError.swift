import NNProtocols

/// Mean absolute error, as PyTorch's `L1Loss()` (reduction `mean`): the mean over all `m·n` elements.
///
/// `L = (1/(m·n))·Σᵢⱼ |aᵢⱼ − yᵢⱼ|`, with gradient `∂L/∂aᵢⱼ = sign(aᵢⱼ − yᵢⱼ)/(m·n)`, taken as 0 where
/// `aᵢⱼ = yᵢⱼ` (the kink; PyTorch's convention). NaN gives NaN. An empty batch has loss 0.
///
/// See Also: `MeanSquaredError`, `HuberLoss`.
public struct MeanAbsoluteError: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "mae"
  static let summary =
    "mean absolute error (PyTorch L1Loss): L = sum(|a - y|) / (m*n); gradient sign(a - y)/(m*n), 0 at a = y"

  /// The mean absolute error (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"mae"`.
  public var name: String { Self.registeredName }
  /// `.values`: any real predictions.
  public var expectedOutput: LossInput { .values }

  /// Targets must have `outputs` columns of finite numbers.
  public func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem? {
    elementwiseTargetProblem(targets, outputs: outputs, loss: name)
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
      let difference = Double(a[i]) - Double(y[i])
      sum += abs(difference)
      // sign(d): +1, −1, 0 at d = 0, NaN for NaN (d ≠ d only for NaN); selects, not branches.
      let positive: Double = difference > 0 ? 1 : 0
      let negative: Double = difference < 0 ? 1 : 0
      let sign = difference != difference ? difference : positive - negative
      g?[i] = S(scale * sign)
    }
    return sum * scale
  }
}
