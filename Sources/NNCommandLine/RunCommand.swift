import Foundation
import NNCheckpoints
import NNModelLanguage
import NNPipeline
import NNProtocols
import NNTraining

/// The arguments `run`, `check` and `gradcheck` share for reading a model file.
enum ModelArguments {
  static let model = Argument.positional("MODEL", help: "The model description file.")
  static let set = Argument.repeatable(
    "set", valueName: "key=value",
    help: "Override an option, e.g. optimizer.lr=0.05 or train.epochs=10 (repeatable).")
  static let seed = Argument.integer("seed", help: "Shorthand for --set train.seed=N.")
  static let epochs = Argument.integer("epochs", help: "Shorthand for --set train.epochs=N.")
}

/// The flags `run`, `check` and `gradcheck` share for reading a model file, in `--help` order.
let modelArguments: [any CommandArgument] = [
  ModelArguments.model,
  ModelArguments.set,
  ModelArguments.seed,
  ModelArguments.epochs,
]

/// Parses the model file named by `arguments`, with `--set`, `--seed` and `--epochs` applied.
func parseModel(_ arguments: ParsedArguments, registry: ComponentRegistry) throws
  -> ModelDescription
{
  var overrides = arguments[ModelArguments.set]
  if let seed = arguments[ModelArguments.seed] { overrides.append("train.seed=\(seed)") }
  if let epochs = arguments[ModelArguments.epochs] { overrides.append("train.epochs=\(epochs)") }
  return try ModelParser(registry: registry).parse(
    fileAt: arguments[ModelArguments.model], overrides: overrides)
}

/// `--force` of the commands that write files: replace an existing file nnpipe would otherwise keep.
let forceArgument = Argument.flag(
  "force", help: "Replace an existing output file even if nnpipe did not write it (never an input)."
)

/// The arguments of `nnpipe run` besides `modelArguments`, `--force` and `--threads`.
enum RunArguments {
  static let output = Argument.option(
    "output", valueName: "path", help: "Where to save the trained model.")
  static let noSave = Argument.flag("no-save", help: "Do not save a checkpoint.")
  static let initFrom = Argument.option(
    "init-from", valueName: "checkpoint",
    help: "Start from the weights of a safetensors file (fine-tuning).")
  static let resume = Argument.option(
    "resume", valueName: "checkpoint",
    help:
      "Continue the run saved in a checkpoint exactly where it stopped (the model file must be "
      + "the run's own; --epochs and --output may change).")
  static let allowChanges = Argument.flag(
    "allow-changes",
    help: "With --resume: accept training settings (optimizer, batch, data, …) that differ from "
      + "the checkpoint's model.")
  static let json = Argument.flag(
    "json", help: "Print one JSON object with the results on standard output.")
  static let quiet = Argument.flag("quiet", help: "Print only errors.")
  static let logEvery = Argument.integer(
    "log-every", in: 1...Int.max,
    help: "When not on a terminal, print a progress line every N epochs (default: about 10 lines).")
}

/// `nnpipe run MODEL`: train, evaluate, save.
let runCommand = Command(
  name: "run",
  abstract: "Train the network a model file describes, evaluate it and write its outputs.",
  discussion: """
    By default the trained model is saved beside the model file, named after it (sine.txt → \
    sine.safetensors); `output checkpoint=PATH` or --output name another place, --no-save skips it. \
    Every output path (checkpoint, predictions, plots) is checked before any work: an existing file \
    is replaced only if nnpipe wrote it, as the same kind of file (--force replaces any file), and \
    never an input of the run. SIGINT or SIGTERM stops after the current step and saves a \
    checkpoint to resume from; a second signal exits at once.
    """,
  arguments: modelArguments + [
    RunArguments.output,
    RunArguments.noSave,
    forceArgument,
    RunArguments.initFrom,
    RunArguments.resume,
    RunArguments.allowChanges,
    RunArguments.json,
    RunArguments.quiet,
    RunArguments.logEvery,
    threadsArgument,
    stepArgument,
  ]
) { arguments, context in
  let console = context.console
  // Until training starts, a signal exits at once (reading a pipe that never ends included).
  context.interruption.install()
  let description = try parseModel(arguments, registry: context.registry)
  if arguments[RunArguments.noSave], arguments[RunArguments.output] != nil {
    throw UsageError("'--no-save' and '--output' cannot be used together")
  }
  if arguments[RunArguments.initFrom] != nil, arguments[RunArguments.resume] != nil {
    throw UsageError("'--init-from' and '--resume' cannot be used together")
  }
  let logEvery = arguments[RunArguments.logEvery]
  let quiet = arguments[RunArguments.quiet]
  let json = arguments[RunArguments.json]

  var options = RunOptions(
    initFrom: arguments[RunArguments.initFrom], resume: arguments[RunArguments.resume],
    checkpointPath: checkpointPath(description, arguments))
  if arguments[RunArguments.output] != nil { options.checkpointSetting = "--output" }
  options.force = arguments[forceArgument]
  options.threads = arguments[threadsArgument]
  if arguments[RunArguments.allowChanges], arguments[RunArguments.resume] == nil {
    throw UsageError("'--allow-changes' applies only with '--resume'")
  }
  options.allowChanges = arguments[RunArguments.allowChanges]
  options.step = try stepOption(arguments)
  let epochs = description.training.epochs
  let progress = ProgressDisplay(
    console: console, quiet: quiet, logEvery: logEvery ?? max(1, epochs / 10),
    totalEpochs: epochs, samplesPerEpoch: 0)
  var firstEpoch: Int?
  options.onEpoch = { record in
    if firstEpoch == nil { firstEpoch = record.epoch - 1 }
    progress.update(record, firstEpoch: firstEpoch ?? 0)
  }
  let interruption = context.interruption
  options.onPrepared = { data, _ in
    progress.samplesPerEpoch = data.train.count
    interruption.trainingStarted()
  }
  options.shouldStop = { interruption.requested }

  let report: RunReport
  do {
    report = try ModelRunner(registry: context.registry).run(description, options: options)
  } catch let error as DivergenceError {
    progress.finish()
    console.message("\(console.errorLabel("error:")) \(error.description)")
    console.message("note: \(error.hint)")
    if let path = options.checkpointPath, Checkpoint.isNNPipeCheckpoint(path: path) {
      console.message("note: the previous checkpoint \(path) was left unchanged")
    }
    if json {
      var object = JSONObject()
      object.set("stop_reason", "diverged")
      object.set("epochs", epochs)
      object.set("epochs_completed", error.epoch - 1)
      object.set("error", error.description)
      console.print(object.text)
    }
    return ExitStatus.failure
  }
  progress.finish()
  if !quiet {
    console.message(summaryText(report, description: description, arguments: arguments))
  }
  if json { console.print(reportJSON(report).text) }
  return report.stopReason == .interrupted ? ExitStatus.interrupted : ExitStatus.success
}

/// The checkpoint path a run writes, or `nil` with `--no-save` / `output checkpoint=none`.
func checkpointPath(_ description: ModelDescription, _ arguments: ParsedArguments) -> String? {
  if arguments[RunArguments.noSave] || !description.outputs.save { return nil }
  if let path = arguments[RunArguments.output] { return path }
  if let path = description.outputs.checkpoint { return path }
  guard let source = description.sourcePath else { return nil }
  let url = URL(fileURLWithPath: source)
  return url.deletingPathExtension().appendingPathExtension("safetensors").path
}

/// The human summary printed at the end of a run (on standard error); after an interruption it ends
/// with the command that resumes the run, built from its `arguments`.
func summaryText(
  _ report: RunReport, description: ModelDescription, arguments: ParsedArguments
) -> String {
  var lines: [String] = []
  let reason: String
  switch report.stopReason {
  case .completed: reason = "completed"
  case .earlyStopping:
    reason =
      "early stopping"
      + (report.restoredEpoch.map { ", restored the weights of epoch \($0)" } ?? "")
  case .interrupted: reason = "interrupted"
  }
  lines.append(
    "trained \(report.epochsRun) epoch\(report.epochsRun == 1 ? "" : "s") "
      + "(\(report.epochsCompleted)/\(report.epochBudget)) in \(formatDuration(report.trainSeconds)), "
      + "\(formatCount(report.samplesPerSecond)) samples/s; stopped: \(reason)")
  lines.append("train: \(metricsLine(report.train))")
  if let validation = report.validation { lines.append("validation: \(metricsLine(validation))") }
  if let test = report.test { lines.append("test: \(metricsLine(test))") }
  lines.append(
    metricsNote(
      lossName: report.lossName, targetScaling: report.targetScaling,
      isClassifier: report.classNames != nil))
  let shown = report.test ?? report.validation ?? report.train
  if let confusion = shown.confusion, let classNames = report.classNames {
    let part = report.test != nil ? "test" : (report.validation != nil ? "validation" : "train")
    lines.append("confusion matrix (\(part); rows: true class, columns: predicted):")
    lines.append(confusionTable(confusion, classNames: classNames))
  }
  if let checkpoint = report.checkpoint {
    lines.append("saved \(checkpoint)")
    if report.stopReason == .interrupted {
      lines.append("resume with: " + resumeCommand(arguments, checkpoint: checkpoint))
    }
  }
  for output in report.outputs { lines.append("wrote \(output)") }
  return lines.joined(separator: "\n")
}

/// The `--json` object of a run: the same figures as `summaryText`.
///
/// - `epochs`: the epoch budget; `epochs_run`: epochs run by this invocation; `epochs_completed`:
///   in total (a resumed run's earlier ones included); `restored_epoch`: the epoch whose weights
///   early stopping restored, or `null`.
/// - `loss`: the final weights' loss on the training part (as `train.loss`); `last_epoch_loss`: the
///   last epoch's running mean of the batch losses, each taken before its update.
/// - `train`, `validation`, `test`: `metricsJSON` objects (`null` for an empty part).
/// - Shorthands kept for scripts: `val_loss`, `accuracy` (test, else validation, else train),
///   `train_accuracy`, `test_loss`, `test_accuracy`, `r2` (same part as `accuracy`).
func reportJSON(_ report: RunReport) -> JSONObject {
  var object = JSONObject()
  object.set("epochs", report.epochBudget)
  object.set("epochs_run", report.epochsRun)
  object.set("epochs_completed", report.epochsCompleted)
  object.set("stop_reason", report.stopReason.rawValue)
  object.set("restored_epoch", raw: report.restoredEpoch.map(String.init) ?? "null")
  object.set("train_seconds", report.trainSeconds)
  object.set("samples_per_second", report.samplesPerSecond)
  object.set("loss", report.train.loss)
  object.set("last_epoch_loss", report.history.last?.loss)
  object.set("loss_name", report.lossName)
  object.set("target_scaling", report.targetScaling)
  object.set(
    "outputs_read_as",
    report.outputReading.map { $0.givesProbabilities ? "probabilities" : "scores" })
  object.set(
    "classes",
    raw: report.classNames.map { "[" + $0.map(jsonString).joined(separator: ", ") + "]" } ?? "null")
  let classNames = report.classNames
  object.set("train", object: metricsJSON(report.train, classNames: classNames))
  object.set(
    "validation",
    raw: report.validation.map { metricsJSON($0, classNames: classNames).text } ?? "null")
  object.set(
    "test", raw: report.test.map { metricsJSON($0, classNames: classNames).text } ?? "null")
  object.set("val_loss", report.validation?.loss)
  let shown = report.test ?? report.validation ?? report.train
  if let accuracy = shown.accuracy { object.set("accuracy", accuracy) }
  object.set("train_accuracy", report.train.accuracy)
  if let test = report.test {
    object.set("test_loss", test.loss)
    object.set("test_accuracy", test.accuracy)
  }
  if let r2 = shown.r2 { object.set("r2", r2) }
  object.set("checkpoint", report.checkpoint)
  object.set("outputs", raw: "[" + report.outputs.map(jsonString).joined(separator: ", ") + "]")
  return object
}
