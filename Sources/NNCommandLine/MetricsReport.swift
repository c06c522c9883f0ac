import Foundation
import NNPipeline
import NNTraining

/// One part's metrics on one line, as `run` and `evaluate` print them:
/// `loss 0.1234  accuracy 97.33%` or `loss 0.01  mse 0.52  mae 0.61  r2 0.9321`.
func metricsLine(_ metrics: Metrics) -> String {
  var parts = ["loss \(formatMetric(metrics.loss))"]
  if let accuracy = metrics.accuracy {
    parts.append(String(format: "accuracy %.2f%%", accuracy * 100))
  }
  if let mse = metrics.meanSquaredError { parts.append("mse \(formatMetric(mse))") }
  if let mae = metrics.meanAbsoluteError { parts.append("mae \(formatMetric(mae))") }
  if let r2 = metrics.r2 { parts.append("r2 \(String(format: "%.4f", r2))") }
  return parts.joined(separator: "  ")
}

/// The line saying what the figures of `metricsLine` are: which loss (on which targets), and for a
/// regression that mse, mae and r2 are in the data's own units.
func metricsNote(lossName: String, targetScaling: String?, isClassifier: Bool) -> String {
  let scaled = targetScaling.map { " on \($0)d targets" } ?? ""
  let regression = isClassifier ? "" : "; mse, mae, r2 in the data's units"
  return "(loss: the trained \(lossName)\(scaled)\(regression))"
}

/// One part's metrics as a JSON object: `loss`, then `accuracy` and `confusion`
/// (`{"classes": [...], "matrix": [[...]]}`, rows: true class, columns: predicted) for a
/// classifier, or `mse`, `mae`, `r2` (data units) for a regression.
func metricsJSON(_ metrics: Metrics, classNames: [String]?) -> JSONObject {
  var object = JSONObject()
  object.set("loss", metrics.loss)
  if let accuracy = metrics.accuracy { object.set("accuracy", accuracy) }
  if let mse = metrics.meanSquaredError { object.set("mse", mse) }
  if let mae = metrics.meanAbsoluteError { object.set("mae", mae) }
  if metrics.meanSquaredError != nil { object.set("r2", metrics.r2) }
  if let confusion = metrics.confusion {
    object.set("confusion", object: confusionJSON(confusion, classNames: classNames))
  }
  return object
}

/// A confusion matrix as JSON: `{"classes": ["a", "b"], "matrix": [[9, 1], [0, 10]]}`.
func confusionJSON(_ confusion: [[Int]], classNames: [String]?) -> JSONObject {
  let names = classNames ?? confusion.indices.map(String.init)
  var object = JSONObject()
  object.set("classes", raw: "[" + names.map(jsonString).joined(separator: ", ") + "]")
  let rows = confusion.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }
  object.set("matrix", raw: "[" + rows.joined(separator: ", ") + "]")
  return object
}
