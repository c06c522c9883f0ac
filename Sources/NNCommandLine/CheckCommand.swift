import NNModelLanguage
import NNPipeline
import NNProtocols

/// `nnpipe check MODEL`: validate and summarize without training.
let checkCommand = Command(
  name: "check",
  abstract: "Validate a model file without training; print it resolved and a layer summary.",
  discussion: """
    Reads the data (to infer the input size), builds every component, and prints the description \
    with every default filled in, then one row per layer: its output shape, its parameter count and \
    its activation.
    """,
  arguments: modelArguments
) { arguments, context in
  let description = try parseModel(arguments, registry: context.registry)
  let (data, model) = try ModelRunner(registry: context.registry).prepare(description)
  context.console.print(ModelPrinter(registry: context.registry).resolvedText(description))
  context.console.print(summaryTable(model, data: data))
  return ExitStatus.success
}

/// The layer table of `nnpipe check`.
func summaryTable(_ model: PreparedModel, data: PreparedData) -> String {
  var rows: [[String]] = [["#", "layer", "output shape", "parameters", "activation"]]
  rows.append(["", "input", "[batch, \(model.inputSize)]", "0", ""])
  for layer in model.summary {
    rows.append([
      String(layer.index), layer.kind,
      "[batch, \(layer.outputShape.map(String.init).joined(separator: ", "))]",
      String(layer.parameterCount), layer.detail,
    ])
  }
  let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
  var lines = rows.map { row in
    zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(
      separator: "  "
    )
    .trimmingTrailingSpaces()
  }
  lines.insert(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)), at: 1)
  lines.append("total parameters: \(model.parameterCount)")
  let samples = [
    "train \(data.train.count)",
    data.validation.count > 0 ? "validation \(data.validation.count)" : nil,
    data.test.count > 0 ? "test \(data.test.count)" : nil,
  ].compactMap { $0 }
  lines.append(
    "data: \(data.dataset.name), \(data.dataset.count) samples (\(samples.joined(separator: ", ")))"
  )
  lines.append(
    "loss: \(model.lossReference)"
      + (model.usesDefaultLoss ? " (the default: no `loss` line)" : "")
      + "  optimizer: \(model.optimizerReference)"
      + (model.usesDefaultOptimizer ? " (the default: no `optimizer` line)" : ""))
  return lines.joined(separator: "\n")
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
