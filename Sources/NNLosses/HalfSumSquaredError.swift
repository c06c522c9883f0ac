import NNProtocols

/// Half the sum of squared errors, not averaged: the second tutorial's loss.
///
/// `L = ½·Σᵢⱼ (oᵢⱼ − yᵢⱼ)²` over every element of the batch, with gradient `∂L/∂oᵢⱼ = oᵢⱼ − yᵢⱼ`.
/// Because it is a sum, the gradient grows with the batch size: a learning rate tuned for one batch
/// size does not carry over to another. Sums are accumulated in `Double`.
///
/// See Also: `HalfMeanSquaredError`, `MeanSquaredError`.
public struct HalfSumSquaredError: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "half_sse"
  static let summary =
    "half sum of squared errors (second tutorial): L = sum((o - y)^2) / 2, no averaging; dO = o - y"

  /// The half sum of squared errors (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"half_sse"`.
  public var name: String { Self.registeredName }
  /// `.values`: any real predictions.
  public var expectedOutput: LossInput { .values }

  /// `½`: the loss is `½·Σ (a − y)²`.
  public func squaredErrorScale(rows: Int, cols: Int) -> Double? { 0.5 }

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
    let (a, y, g) = (predictions.base, targets.base, gradient?.base)
    var sum = 0.0
    for i in 0..<predictions.count {
      let difference = Double(a[i]) - Double(y[i])
      sum += difference * difference
      g?[i] = S(difference)
    }
    return 0.5 * sum
  }
}
