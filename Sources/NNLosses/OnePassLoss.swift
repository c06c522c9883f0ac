import NNProtocols

/// A loss computed in one pass over the batch, which yields its value and, when a buffer is given,
/// its gradient: `value` is that pass without a gradient, `gradient` the same pass writing
/// `∂L/∂predictions`. Every built-in loss is written this way, so the value and the gradient cannot
/// drift apart; a custom loss can be too, by writing only `evaluate`.
public protocol OnePassLoss: Loss {
  /// The loss of `predictions` against `targets`; when `gradient` is given (shaped like
  /// `predictions`), also writes `∂L/∂predictions` into it.
  func evaluate<S: NNScalar>(
    _ predictions: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?
  ) -> Double
}

extension OnePassLoss {
  /// `evaluate` without a gradient.
  public func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double {
    evaluate(predictions, targets, gradient: nil)
  }

  /// `evaluate`, writing the gradient.
  @discardableResult
  public func gradient<S: NNScalar>(
    predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>
  ) -> Double {
    evaluate(predictions, targets, gradient: gradient)
  }
}
