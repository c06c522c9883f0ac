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

/// The predicted class of each row: the largest output, or for a single output `≥ 0.5` (a sigmoid
/// probability) as class 1.
public func predictedClasses<S: NNScalar>(_ outputs: Matrix<S>) -> [Int] {
  (0..<outputs.rows).map { row in
    if outputs.cols == 1 { return outputs[row, 0] >= S(0.5) ? 1 : 0 }
    var best = 0
    for col in 1..<outputs.cols where outputs[row, col] > outputs[row, best] { best = col }
    return best
  }
}

/// Classification metrics from class-index targets (`[samples, 1]`).
public func classificationMetrics<S: NNScalar>(
  outputs: Matrix<S>, targets: Matrix<S>, classCount: Int, loss: Double
) -> Metrics {
  let predicted = predictedClasses(outputs)
  var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
  var correct = 0
  for (row, guess) in predicted.enumerated() {
    let truth = Int(targets[row, 0])
    if truth == guess { correct += 1 }
    if truth >= 0, truth < classCount, guess < classCount { confusion[truth][guess] += 1 }
  }
  let accuracy = predicted.isEmpty ? 0 : Double(correct) / Double(predicted.count)
  return Metrics(loss: loss, accuracy: accuracy, confusion: confusion)
}

/// Regression metrics: MSE, MAE and R² over every output column.
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
