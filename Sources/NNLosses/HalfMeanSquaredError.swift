import NNProtocols

/// Half the squared error, averaged over the batch rows: the first tutorial's loss.
///
/// `L = (1/(2m))·Σᵢⱼ (aᵢⱼ − yᵢⱼ)²` for a `[m, n]` batch (the sum runs over all outputs, the mean only
/// over the `m` samples), with gradient `∂L/∂aᵢⱼ = (aᵢⱼ − yᵢⱼ)/m` — the tutorial's output-layer
/// `dA = (A − Y)/m`. Sums are accumulated in `Double`. An empty batch has loss 0.
///
/// See Also: `MeanSquaredError` (PyTorch's mean over all elements), `HalfSumSquaredError`.
public struct HalfMeanSquaredError: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "half_mse"
  static let summary =
    "half mean squared error (first tutorial): L = sum((a - y)^2) / (2m), m = batch rows; dA = (a - y)/m"

  /// The half mean squared error (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"half_mse"`.
  public var name: String { Self.registeredName }
  /// `.values`: any real predictions.
  public var expectedOutput: LossInput { .values }

  /// `½/m`: the loss is `½/m·Σ (a − y)²`.
  public func squaredErrorScale(rows: Int, cols: Int) -> Double? { 0.5 / Double(rows) }

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
    let inverseRows = 1 / Double(predictions.rows)  // 1/m
    var sum = 0.0
    for i in 0..<count {
      let difference = Double(a[i]) - Double(y[i])
      sum += difference * difference
      g?[i] = S(inverseRows * difference)
    }
    return 0.5 * sum * inverseRows
  }
}
