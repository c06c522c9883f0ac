import NNDatasets
import NNProtocols
import NNTraining

extension OutputReading {
  /// The reading of a prepared classifier (`nil` for a regression).
  public init?(_ model: PreparedModel) {
    guard let classes = model.classNames?.count else { return nil }
    self.init(
      loss: model.loss,
      outputForm: model.builders.last?.outputForm ?? .values(-.infinity ... .infinity),
      outputCount: model.outputSize, classCount: classes)
  }
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
