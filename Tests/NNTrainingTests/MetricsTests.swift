import Foundation
import NNDatasets
import NNLosses
import NNModelLanguage
import NNPipeline
import NNProtocols
import NNTraining
import Testing

/// The one metrics path: classification against class indices, regression in the data's units, the
/// loss as trained.
struct MetricsTests {
  let registry = ComponentRegistry.standard()

  func model(_ lines: String, classNames: [String]?) throws -> PreparedModel {
    let description = try ModelParser(registry: registry).parse(
      "data sine\n" + lines, path: nil, baseDirectory: ".")
    return try PreparedModel(
      description, registry: registry, inputSize: 2, classNames: classNames, targetCount: 1)
  }

  @Test func classificationMetricsCountAgainstClassIndices() {
    // One-hot trained sigmoid outputs: the metrics take the class indices, not the first column.
    let reading = OutputReading(
      loss: MeanSquaredError(), outputForm: .values(0...1), outputCount: 3, classCount: 3)
    let outputs = Matrix<Double>(
      rows: 4, cols: 3, scalars: [0.9, 0.1, 0.1, 0.1, 0.8, 0.2, 0.1, 0.3, 0.7, 0.6, 0.5, 0.1])
    let metrics = classificationMetrics(
      outputs: outputs, classes: [0, 1, 2, 1], reading: reading, loss: 0.5)
    #expect(metrics.accuracy == 0.75)
    #expect(metrics.confusion == [[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    #expect(metrics.loss == 0.5)
  }

  @Test func aOneHotClassifierIsScoredOnItsLabelsAndItsLossOnOneHotRows() throws {
    let prepared = try model(
      "layer dense units=3 activation=sigmoid\nloss mse", classNames: ["a", "b", "c"])
    let outputs = Matrix<Float>(rows: 2, cols: 3, scalars: [0.9, 0.2, 0.1, 0.3, 0.4, 0.8])
    let targets = Matrix<Double>(rows: 2, cols: 1, scalars: [0, 2])
    let metrics = prepared.metrics(outputs: outputs, targets: targets, targetScaler: nil)
    #expect(metrics.accuracy == 1)
    #expect(metrics.confusion == [[1, 0, 0], [0, 0, 0], [0, 0, 1]])
    // mse against the one-hot rows [1 0 0] and [0 0 1].
    let squares: [Float] = [0.1, 0.2, 0.1, 0.3, 0.4, 0.2].map { $0 * $0 }
    let expected = Double(squares.reduce(0, +)) / 6
    #expect(abs(metrics.loss - expected) < 1e-6)
  }

  @Test func regressionMetricsAreInTheDataUnitsAndTheLossOnScaledTargets() throws {
    let prepared = try model("layer dense units=1\nloss mse", classNames: nil)
    // Targets standardized with mean 10 and deviation 2.
    let scaler = Scaler(kind: .standardize, offset: [10], scale: [2])
    let outputs = Matrix<Double>(rows: 2, cols: 1, scalars: [0, 1])  // 10 and 12 in data units
    let targets = Matrix<Double>(rows: 2, cols: 1, scalars: [0.5, 1])  // 11 and 12
    let metrics = prepared.metrics(outputs: outputs, targets: targets, targetScaler: scaler)
    #expect(metrics.meanSquaredError == 0.5)
    #expect(metrics.meanAbsoluteError == 0.5)
    #expect(metrics.loss == 0.125)
    #expect(metrics.accuracy == nil)
    // r2 against the data's targets: 1 − 1 / ((11 − 11.5)² + (12 − 11.5)²) = −1.
    #expect(metrics.r2 == -1)
  }
}
