import Foundation
import NNCheckpoints
import NNDatasets
import NNPipeline
import NNProtocols
import NNTraining

/// The arguments of `nnpipe predict` besides `--force` and `--threads`.
enum PredictArguments {
  static let checkpoint = Argument.positional(
    "CHECKPOINT", help: "A checkpoint written by nnpipe run.")
  static let input = Argument.positional(
    "INPUT", help: "A CSV file of samples; - reads standard input (a pipe or FIFO works too).")
  static let output = Argument.option(
    "output", valueName: "path", help: "Write the CSV there instead of standard output.")
  static let raw = Argument.flag(
    "raw", help: "Write the network's raw outputs (no label, no softmax or sigmoid).")
}

/// `nnpipe predict CHECKPOINT INPUT.csv`
let predictCommand = Command(
  name: "predict",
  abstract: "Write a trained model's predictions for the samples of a CSV file.",
  discussion: """
    The checkpoint holds everything needed: the network, the preprocessing statistics and the class \
    names. Input columns are matched by the training feature names when the file has a header naming \
    them, else taken in order. Output: CSV with, for a classifier, the predicted label and one \
    column per class: p_<class>, the class probabilities (softmax or sigmoid applied where the model \
    outputs logits; each row sums to 1), or score_<class> when the outputs are not probabilities \
    (e.g. an identity output trained with mse); the label is the class the metrics count. For a \
    regression, one column per target. --raw writes the network's outputs as they are (y1, y2, …).
    """,
  arguments: [
    PredictArguments.checkpoint,
    PredictArguments.input,
    PredictArguments.output,
    PredictArguments.raw,
    forceArgument,
    threadsArgument,
  ]
) { arguments, context in
  let checkpoint = arguments[PredictArguments.checkpoint]
  let input = arguments[PredictArguments.input]
  let outputGuard = OutputGuard(
    outputs: arguments[PredictArguments.output].map {
      [OutputGuard.Output($0, kind: .predictions(header: nil), origin: .init(setting: "--output"))]
    } ?? [],
    inputs: [
      OutputGuard.Input(checkpoint, role: "the CHECKPOINT argument"),
      OutputGuard.Input(input, role: "the INPUT argument"),
    ], force: arguments[forceArgument])
  try outputGuard.check()
  let model = try TrainedModel(checkpointAt: checkpoint, registry: context.registry)
  let features = try model.readFeatures(csv: input)
  let outputs = withThreads(arguments[threadsArgument]) { model.predict(features) }
  let targetNames = model.description.layers.isEmpty ? [] : (0..<outputs.cols).map { "y\($0 + 1)" }
  let csv = predictionsCSV(
    outputs, classNames: model.classNames, targetNames: targetNames,
    reading: model.outputReading, raw: arguments[PredictArguments.raw])
  if let path = arguments[PredictArguments.output] {
    try outputGuard.checkPredictions(header: csv)
    try AtomicFile.write(Array(csv.utf8), to: path)
    context.console.message("wrote \(outputs.rows) predictions to \(path)")
  } else {
    context.console.print(String(csv.dropLast()))
  }
  return ExitStatus.success
}

/// The arguments of `nnpipe evaluate` besides `--threads`.
enum EvaluateArguments {
  static let checkpoint = Argument.positional(
    "CHECKPOINT", help: "A checkpoint written by nnpipe run.")
  static let data = Argument.optionalPositional("DATA", help: "A labelled CSV file.")
  static let json = Argument.flag("json", help: "Print the metrics as one JSON object.")
}

/// `nnpipe evaluate CHECKPOINT [DATA]`
let evaluateCommand = Command(
  name: "evaluate",
  abstract: "Print a trained model's metrics on labelled data.",
  discussion: """
    DATA is a CSV file with the training feature columns and the target column (by the training \
    target's name when the file has a header, else the last column). Without DATA, the model's own \
    data statement is used: its test part if it has one, else all of it.
    """,
  arguments: [
    EvaluateArguments.checkpoint,
    EvaluateArguments.data,
    EvaluateArguments.json,
    threadsArgument,
  ]
) { arguments, context in
  let model = try TrainedModel(
    checkpointAt: arguments[EvaluateArguments.checkpoint], registry: context.registry)
  let (metrics, samples, source) = try withThreads(arguments[threadsArgument]) {
    try evaluationMetrics(model, arguments, registry: context.registry)
  }
  let scaling = model.targetScaler.map { _ in model.description.preprocessing.targets.rawValue }
  if arguments[EvaluateArguments.json] {
    // The keys of one part of `run --json` (`metricsJSON`), plus what was evaluated.
    var object = metricsJSON(metrics, classNames: model.classNames)
    object.set("samples", samples)
    object.set("data", source)
    object.set("loss_name", model.loss.name)
    object.set("target_scaling", scaling)
    context.console.print(object.text)
  } else {
    var lines = [
      "\(source): \(samples) samples", metricsLine(metrics),
      metricsNote(
        lossName: model.loss.name, targetScaling: scaling, isClassifier: model.classNames != nil),
    ]
    if let confusion = metrics.confusion, let names = model.classNames {
      lines.append("confusion matrix (rows: true class, columns: predicted):")
      lines.append(confusionTable(confusion, classNames: names))
    }
    context.console.print(lines.joined(separator: "\n"))
  }
  return ExitStatus.success
}

/// The metrics `evaluate` prints, the number of samples and what they are.
///
/// Without DATA the model's own data statement is prepared as `run` prepares it, and the metrics are
/// computed on the same scaled part `run` reported (its test part, or its training part when that
/// is all of the data), so the two commands print the same bits, not just the same rounded figures.
private func evaluationMetrics(
  _ model: TrainedModel, _ arguments: ParsedArguments, registry: ComponentRegistry
) throws -> (Metrics, Int, String) {
  guard let path = arguments[EvaluateArguments.data] else {
    let (data, _) = try ModelRunner(registry: registry).prepare(model.description)
    if data.test.count > 0 {
      let metrics = model.scaledMetrics(data.test.features, data.test.targets)
      return (metrics, data.test.count, "\(data.dataset.name) (test part)")
    }
    if data.validation.count == 0 {
      let metrics = model.scaledMetrics(data.train.features, data.train.targets)
      return (metrics, data.train.count, data.dataset.name)
    }
    let metrics = model.metrics(features: data.dataset.features, targets: data.dataset.targets)
    return (metrics, data.dataset.count, data.dataset.name)
  }
  let (features, targets, source) = try evaluationData(model, path: path)
  return (model.metrics(features: features, targets: targets), features.rows, source)
}

/// The raw features and targets (class indices in the model's class order) of the DATA file.
private func evaluationData(
  _ model: TrainedModel, path: String
) throws -> (Matrix<Double>, Matrix<Double>, String) {
  let task: CSVReader.Task = model.classNames == nil ? .regression : .classification
  let input = try TrainedModel.readInput(path)  // once: a pipe cannot be read twice
  let dataset = try CSVReader(header: .auto, task: task).read(bytes: input.bytes, file: input.file)
  let features = try model.readFeatures(csvBytes: input.bytes, file: input.file)
  guard let classNames = model.classNames else { return (features, dataset.targets, path) }
  // Map this file's labels to the checkpoint's class indices by name.
  let fileClasses = dataset.classNames ?? []
  let targets = Matrix<Double>(rows: dataset.count, cols: 1)
  for row in 0..<dataset.count {
    let label = fileClasses[Int(dataset.targets[row, 0])]
    guard let index = classNames.firstIndex(of: label) else {
      throw InputError(
        file: path,
        "data row \(row + 1): class '\(label)' is not one the model knows; expected one of: \(classNames.joined(separator: ", "))"
      )
    }
    targets[row, 0] = Double(index)
  }
  return (features, targets, path)
}
