import NNProtocols

/// What is wrong with a matrix of targets for a loss, found before training starts.
public struct TargetProblem: Sendable, Equatable, CustomStringConvertible {
  /// The 0-based row of the target matrix at fault, or `nil` when the problem is the shape.
  public var row: Int?
  /// The 0-based column at fault, if one is.
  public var column: Int?
  /// What is wrong and what was expected, e.g.
  /// `cross_entropy: target 3 is not a class index in 0…2 (the network has 3 outputs)`.
  public var message: String

  /// A problem at `row`/`column` (0-based; `nil` for the whole matrix).
  public init(row: Int? = nil, column: Int? = nil, _ message: String) {
    self.row = row
    self.column = column
    self.message = message
  }

  /// The message, prefixed with the row and column when known (1-based, as a data file counts).
  public var description: String {
    switch (row, column) {
    case (let row?, let column?): "row \(row + 1), column \(column + 1): \(message)"
    case (let row?, nil): "row \(row + 1): \(message)"
    default: message
    }
  }
}

/// A loss that can check a whole matrix of targets before training.
///
/// `Loss.value` and `Loss.gradient` do not throw: they treat malformed targets (a class index out of
/// range, a wrong number of columns) as programming errors and stop with a `precondition`. A pipeline
/// that reads targets from a user's file calls `targetProblem` once per data set first, on the targets
/// as the loss will see them (scaled, and class labels encoded per `Loss.targetEncoding`), and reports
/// the problem as an input error naming the row: nnpipe's `ModelRunner.prepare` does so for the whole
/// data set, in file order, before any training (`PreparedModel.checkTargets`).
public protocol TargetValidating: Loss {
  /// What is wrong with `targets` for predictions of `outputs` columns, or `nil` if they suit this
  /// loss (shape, and values: finite numbers, probabilities in [0, 1], class indices in range, …).
  func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem?
}
