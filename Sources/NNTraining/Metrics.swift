import NNProtocols

/// How well predictions match targets: the loss, and the task's usual metrics.
public struct Metrics: Sendable, Equatable {
  /// The loss value (as the run's loss defines it).
  public var loss: Double
  /// Fraction of samples whose predicted class is the target class (classification).
  public var accuracy: Double?
  /// Mean squared error over all outputs (regression).
  public var meanSquaredError: Double?
  /// Mean absolute error over all outputs (regression).
  public var meanAbsoluteError: Double?
  /// Coefficient of determination, `1 − SS_res / SS_tot` (regression).
  public var r2: Double?
  /// `confusion[target][predicted]` sample counts (classification).
  public var confusion: [[Int]]?

  public init(
    loss: Double, accuracy: Double? = nil, meanSquaredError: Double? = nil,
    meanAbsoluteError: Double? = nil, r2: Double? = nil, confusion: [[Int]]? = nil
  ) {
    self.loss = loss
    self.accuracy = accuracy
    self.meanSquaredError = meanSquaredError
    self.meanAbsoluteError = meanAbsoluteError
    self.r2 = r2
    self.confusion = confusion
  }
}

/// Classification metrics: accuracy and the confusion matrix of the classes `reading` predicts from
/// `outputs` against `classes`, one class index per row (the data's labels, whatever encoding the
/// loss trains on).
public func classificationMetrics<S: NNScalar>(
  outputs: Matrix<S>, classes: [Int], reading: OutputReading, loss: Double
) -> Metrics {
  precondition(outputs.rows == classes.count, "classification metrics: row counts differ")
  let classCount = reading.classCount
  let predicted = reading.predictedClasses(outputs)
  var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
  var correct = 0
  for (truth, guess) in zip(classes, predicted) {
    if truth == guess { correct += 1 }
    if truth >= 0, truth < classCount, guess < classCount { confusion[truth][guess] += 1 }
  }
  let accuracy = predicted.isEmpty ? 0 : Double(correct) / Double(predicted.count)
  return Metrics(loss: loss, accuracy: accuracy, confusion: confusion)
}

/// Regression metrics: MSE, MAE and R² over every output column, in the units of `outputs` and
/// `targets` (`PreparedModel.metrics` passes them in the data's own units).
public func regressionMetrics<S: NNScalar>(
  outputs: Matrix<S>, targets: Matrix<S>, loss: Double
) -> Metrics {
  precondition(outputs.count == targets.count, "regression metrics: shapes differ")
  let n = Double(max(outputs.count, 1))
  var squared = 0.0
  var absolute = 0.0
  var mean = 0.0
  for i in 0..<targets.count { mean += Double(targets.base[i]) }
  mean /= n
  var total = 0.0
  for i in 0..<outputs.count {
    let error = Double(outputs.base[i]) - Double(targets.base[i])
    squared += error * error
    absolute += abs(error)
    let spread = Double(targets.base[i]) - mean
    total += spread * spread
  }
  let r2 = total > 0 ? 1 - squared / total : nil
  return Metrics(
    loss: loss, meanSquaredError: squared / n, meanAbsoluteError: absolute / n, r2: r2)
}
