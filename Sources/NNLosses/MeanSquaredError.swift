import NNProtocols

/// Mean squared error, as PyTorch's `MSELoss()` (reduction `mean`): the mean over all `m·n` elements
/// of a `[m, n]` batch.
///
/// `L = (1/(m·n))·Σᵢⱼ (aᵢⱼ − yᵢⱼ)²`, with gradient `∂L/∂aᵢⱼ = 2(aᵢⱼ − yᵢⱼ)/(m·n)`.
/// Sums are accumulated in `Double`. An empty batch has loss 0.
///
/// See Also: `HalfMeanSquaredError` (the first tutorial's `½/m·Σ`), `HalfSumSquaredError` (the second
/// tutorial's `½·Σ`), `MeanAbsoluteError`, `HuberLoss`.
public struct MeanSquaredError: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "mse"
  static let summary =
    "mean squared error (PyTorch MSELoss): L = sum((a - y)^2) / (m*n), mean over all elements"

  /// The mean squared error (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"mse"`.
  public var name: String { Self.registeredName }
  /// `.values`: any real predictions.
  public var expectedOutput: LossInput { .values }

  /// `1/(m·n)`: the loss is `1/(m·n)·Σ (a − y)²`.
  public func squaredErrorScale(rows: Int, cols: Int) -> Double? { 1 / Double(rows * cols) }

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
      sum += difference * difference
      g?[i] = S(2 * scale * difference)
    }
    return sum * scale
  }
}
