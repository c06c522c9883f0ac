import NNProtocols

// Shape checks and target checks shared by the built-in losses.

/// Stops with a message unless predictions, targets and (if given) the gradient have the same shape.
func checkSameShape<S: NNScalar>(
  _ predictions: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?, loss: String
) {
  precondition(
    predictions.rows == targets.rows && predictions.cols == targets.cols,
    "\(loss): predictions are \(predictions.shape) but targets are \(targets.shape)")
  if let gradient {
    precondition(
      gradient.rows == predictions.rows && gradient.cols == predictions.cols,
      "\(loss): gradient is \(gradient.shape) but predictions are \(predictions.shape)")
  }
}

/// How the targets of a class loss are given.
enum ClassTargets {
  /// `[batch, 1]`: the class index of each row (0-based).
  case indices
  /// `[batch, classes]`: a distribution over the classes per row (one-hot, or soft labels).
  case distributions
}

/// Decides by the number of columns whether class targets are indices or distributions, and stops
/// with a message if the shapes do not fit.
func classTargets<S: NNScalar>(
  predictions: Matrix<S>, targets: Matrix<S>, gradient: Matrix<S>?, loss: String
) -> ClassTargets {
  precondition(
    predictions.cols >= 2, "\(loss): needs at least 2 classes, predictions are \(predictions.shape)"
  )
  precondition(
    targets.rows == predictions.rows && (targets.cols == 1 || targets.cols == predictions.cols),
    "\(loss): targets must be [\(predictions.rows), 1] class indices or "
      + "[\(predictions.rows), \(predictions.cols)] one-hot rows, got \(targets.shape)")
  if let gradient {
    precondition(
      gradient.rows == predictions.rows && gradient.cols == predictions.cols,
      "\(loss): gradient is \(gradient.shape) but predictions are \(predictions.shape)")
  }
  return targets.cols == 1 ? .indices : .distributions
}

/// The class index held by `value`, stopping with a message if it is not an integer in `0..<classes`.
func classIndex<S: NNScalar>(_ value: S, row: Int, classes: Int, loss: String) -> Int {
  let index = Double(value)
  precondition(
    index >= 0 && index < Double(classes) && index == index.rounded(),
    "\(loss): target row \(row) holds \(index), not a class index in 0..<\(classes) "
      + "(check targets with targetProblem(_:outputs:) before training)")
  return Int(index)
}

/// The problem with regression-style targets: a column count other than `outputs`, or a value that
/// is not finite or (when `allowed` is given) not accepted by it.
@_specialize(where S == Float)
@_specialize(where S == Double)
func elementwiseTargetProblem<S: NNScalar>(
  _ targets: Matrix<S>, outputs: Int, loss: String, expected: String? = nil,
  allowed: ((Double) -> Bool)? = nil
) -> TargetProblem? {
  guard targets.cols == outputs else {
    return TargetProblem(
      "\(loss): targets have \(targets.cols) columns but the network has \(outputs) outputs")
  }
  for row in 0..<targets.rows {
    for column in 0..<targets.cols {
      let value = Double(targets[row, column])
      if !value.isFinite || !(allowed?(value) ?? true) {
        return TargetProblem(
          row: row, column: column,
          "\(loss): target \(value) is not \(expected ?? "a finite number")")
      }
    }
  }
  return nil
}

/// The problem with class targets for `outputs` classes: fewer than 2 classes, a column count other
/// than 1 or `outputs`, an index that is not an integer in range, or a row that is not a distribution
/// (values in [0, 1] summing to 1).
@_specialize(where S == Float)
@_specialize(where S == Double)
func classTargetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int, loss: String)
  -> TargetProblem?
{
  guard outputs >= 2 else {
    return TargetProblem(
      "\(loss): needs at least 2 classes but the network has \(outputs) output; "
        + "for one output use binary_cross_entropy or bce_with_logits")
  }
  if targets.cols == 1 {
    for row in 0..<targets.rows {
      let index = Double(targets[row, 0])
      if !(index >= 0 && index < Double(outputs) && index == index.rounded()) {
        return TargetProblem(
          row: row, column: 0,
          "\(loss): target \(index) is not a class index in 0…\(outputs - 1) "
            + "(the network has \(outputs) outputs)")
      }
    }
    return nil
  }
  guard targets.cols == outputs else {
    return TargetProblem(
      "\(loss): targets have \(targets.cols) columns; expected 1 (class indices) or \(outputs) "
        + "(one-hot rows, one column per network output)")
  }
  for row in 0..<targets.rows {
    var sum = 0.0
    for column in 0..<targets.cols {
      let value = Double(targets[row, column])
      if !(value >= 0 && value <= 1) {
        return TargetProblem(
          row: row, column: column, "\(loss): target \(value) is not a probability in [0, 1]")
      }
      sum += value
    }
    if abs(sum - 1) > 1e-4 {
      return TargetProblem(row: row, "\(loss): the targets of a row sum to \(sum), not 1")
    }
  }
  return nil
}
