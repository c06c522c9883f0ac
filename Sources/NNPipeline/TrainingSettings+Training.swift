import NNModelLanguage
import NNProtocols
import NNTraining

extension EarlyStoppingRule {
  /// The rule an `early_stopping` statement describes.
  public init(_ settings: EarlyStoppingSettings) {
    self.init(
      patience: settings.patience, minDelta: settings.minDelta,
      monitorsValidation: settings.monitor != "loss", restoreBest: settings.restoreBest)
  }
}

extension StepChoice {
  /// The step requested, or `nil` for `auto` (the planner's choice).
  public var kind: StepKind? {
    switch self {
    case .auto: nil
    case .reference: .reference
    case .fused: .fused
    case .sharded: .sharded
    }
  }
}

extension StepRefusal {
  /// The refusal as an input error naming where the step was requested: `setting` (`--step`) when
  /// a flag asked for it, else the model's `train` statement.
  public func inputError(_ description: ModelDescription, setting: String?) -> InputError {
    let hint = "use step=auto to let nnpipe choose (it takes the fastest step that qualifies)"
    if let setting {
      return InputError("\(setting) \(step.rawValue): \(self)", hint: hint)
    }
    return description.error(at: "train", "train step=\(step.rawValue): \(self)", hint: hint)
  }
}
