import NNModelLanguage
import NNPipeline
import NNTraining

/// `--step auto|reference|fused|sharded`, on the commands that train (`run`, `bench`): how each
/// training step runs, in place of the model's `train step=` (see `StepPlanner`).
let stepArgument = Argument.option(
  "step", valueName: "step",
  help:
    "How each training step runs: auto (the fastest that qualifies), reference (layer by layer),"
    + " fused or sharded; a step that does not qualify is an error naming the condition.")

/// The `--step` given, or `nil`; a value other than the four is a usage error naming them.
func stepOption(_ arguments: ParsedArguments) throws -> StepChoice? {
  guard let value = arguments[stepArgument] else { return nil }
  guard let choice = StepChoice(rawValue: value) else {
    throw UsageError(
      "'--step' expects one of \(StepChoice.allCases.map(\.rawValue).joined(separator: ", ")),"
        + " not '\(value)'")
  }
  return choice
}
