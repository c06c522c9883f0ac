/// A loss: how far predictions are from targets, and its gradient with respect to the predictions.
///
/// Predictions are the network's output, `[batch, outputs]`. Targets are `[batch, outputs]`, or, for
/// losses over classes, `[batch, 1]` holding class indices (`0, 1, …`) or one-hot rows.
public protocol Loss: Sendable {
  /// The name this loss is registered under, e.g. `"mse"`.
  var name: String { get }

  /// What the loss expects of the last layer's output, so mismatched pairs are reported.
  var expectedOutput: LossInput { get }

  /// How the loss reads its targets; for class data this decides how labels are encoded (class
  /// indices, one-hot rows, 0/1 or ±1), and so how the metrics and `predict` read the outputs.
  var targetEncoding: TargetEncoding { get }

  /// The loss value for the batch.
  func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double

  /// Writes `∂loss/∂predictions` into `gradient` (same shape as `predictions`) and returns the loss value.
  @discardableResult
  func gradient<S: NNScalar>(
    predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>
  ) -> Double

  /// For a loss that is a scaled sum of squared errors over a batch of `rows × cols` outputs,
  /// `L = c·Σ (a − y)²` (so `∂L/∂a = 2c·(a − y)`), the factor `c`; `nil` for any other loss (the
  /// default). Lets the trainer run a small dense network's whole step in one kernel
  /// (`NNScalar.denseNetworkStep`), which computes these losses itself.
  func squaredErrorScale(rows: Int, cols: Int) -> Double?
}

/// What a loss expects its predictions to be.
public enum LossInput: Sendable, Equatable {
  /// Any real values (regression losses).
  case values
  /// Probabilities in [0, 1] (e.g. a sigmoid or softmax output).
  case probabilities
  /// Unnormalized scores; the loss applies sigmoid or softmax itself, stably.
  case logits
}

/// How a loss reads its targets. Metrics, target encoding and the model checks read this declaration,
/// never the loss's name.
public enum TargetEncoding: Sendable, Equatable {
  /// Any real values, shaped like the predictions (regression losses). Class labels are given as
  /// one-hot rows (0/1), or as 0/1 for a single output of two classes.
  case values
  /// Values in [0, 1], shaped like the predictions (binary cross-entropy). Class labels as for
  /// `values`.
  case unitInterval
  /// −1 or +1, shaped like the predictions (margin losses such as hinge). Class labels are given as
  /// ±1: −1/+1 for a single output of two classes, else +1 for the class and −1 elsewhere.
  case signs
  /// One class index per row (`[batch, 1]`, 0-based), as cross-entropy and NLL take them.
  case classIndices
}

extension Loss {
  public var expectedOutput: LossInput { .values }
  public var targetEncoding: TargetEncoding { .values }
  public func squaredErrorScale(rows: Int, cols: Int) -> Double? { nil }
}
