import NNDatasets
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

extension PreparedModel {
  /// How to read this model's outputs as classes (`nil` for a regression).
  public var outputReading: OutputReading? { OutputReading(self) }

  /// The metrics of `run` (train, validation, test), `evaluate` and their `--json`: one function, so
  /// that they print the same figures for the same weights and data.
  ///
  /// - Parameters:
  ///   - outputs: the network's outputs, in the run's precision (in scaled target units, as trained).
  ///   - targets: the data's targets as `PreparedData` holds them: one class index per row for a
  ///     classifier, else the target values scaled by `targetScaler`.
  ///   - targetScaler: the targets' scaling, or `nil`.
  /// - Returns: `loss`, the loss the model optimizes (on the loss's encoding of the targets, scaled
  ///   as in training); for a classifier the accuracy and confusion matrix read through
  ///   `outputReading` against the class indices; for a regression mse, mae and r2 in the data's own
  ///   units (outputs and targets inverse-transformed by `targetScaler`).
  public func metrics<S: NNScalar>(
    outputs: Matrix<S>, targets: Matrix<Double>, targetScaler: Scaler?
  ) -> Metrics {
    let lossValue = loss.value(
      predictions: outputs, targets: lossTargets(targets).converted(to: S.self))
    if let reading = outputReading {
      let classes = (0..<targets.rows).map { Int(targets[$0, 0]) }
      return classificationMetrics(
        outputs: outputs, classes: classes, reading: reading, loss: lossValue)
    }
    let predictions = outputs.converted(to: Double.self)
    return regressionMetrics(
      outputs: targetScaler?.inverseTransform(predictions) ?? predictions,
      targets: targetScaler?.inverseTransform(targets) ?? targets, loss: lossValue)
  }
}
