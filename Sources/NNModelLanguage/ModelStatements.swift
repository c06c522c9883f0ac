import NNKernels
import NNProtocols

/// The statements of the model language, one per line, in the canonical order `nnpipe check` prints
/// them.
///
/// Component statements (`data`, `layer`, `loss`, `optimizer`, `schedule`) name a registered component
/// after the keyword and take that component's declared options (`nnpipe list` shows them). The other
/// statements take the fixed keys declared here as `OptionSpec`s, so they are validated, documented and
/// reported exactly like component options.
///
/// ```
/// data sine
/// layer dense units=20 activation=sigmoid
/// layer dense units=1
/// optimizer sgd lr=0.1
/// train epochs=2000 batch=full precision=double
/// ```
///
/// See Also: `ModelParser`, `ModelPrinter`, `Documentation/ModelLanguage.md`.
public enum ModelStatement: String, Sendable, CaseIterable, Hashable {
  /// `data NAME key=value…`: the data set (required, once).
  case data
  /// `split validation=0 test=0 stratify=true shuffle=true`
  case split
  /// `preprocess features=none targets=none divide=1`
  case preprocess
  /// `layer KIND key=value…`: one per layer, in order (at least one).
  case layer
  /// `loss NAME key=value…` (optional; default from the data and the last layer's output).
  case loss
  /// `optimizer NAME key=value…` (optional; default `adam lr=0.001`).
  case optimizer
  /// `schedule NAME key=value…` (optional; default: a constant learning rate).
  case schedule
  /// `train epochs=100 batch=32 seed=0 precision=float shuffle=true clip_norm=0 weight_decay=0
  /// threads=0`
  case train
  /// `early_stopping patience=10 min_delta=0 monitor=val_loss restore_best=true` (off when absent).
  case earlyStopping = "early_stopping"
  /// `weights from=PATH`: initial weights from a safetensors file.
  case weights
  /// `output checkpoint=auto plot_loss=none plot_fit=none plot_regions=none plot_gradients=none
  /// predictions=none`
  case output

  /// The keyword as written in a model file.
  public var keyword: String { rawValue }

  /// The kind of component a component statement names, or `nil` for a statement of fixed keys.
  public var componentKind: ComponentKind? {
    switch self {
    case .data: .dataset
    case .layer: .layer
    case .loss: .loss
    case .optimizer: .optimizer
    case .schedule: .schedule
    default: nil
    }
  }

  /// Whether the statement may appear more than once (only `layer`).
  public var isRepeatable: Bool { self == .layer }

  /// The component an absent component statement stands for, when it is fixed (`adam` for
  /// `optimizer`, with its defaults, lr 0.001, as scikit-learn and Keras; `constant` for `schedule`);
  /// the run uses it, and `--set optimizer.lr=0.05` on a file without an `optimizer` statement
  /// starts from it. `nil` when the default depends on the data and the network (`loss`, see
  /// `PreparedModel.defaultLossName`) or there is none (`data`, `layer`).
  public var defaultComponent: String? {
    switch self {
    case .optimizer: "adam"
    case .schedule: "constant"
    default: nil
    }
  }

  /// One line describing the statement, for `nnpipe list` and the documentation.
  public var summary: String {
    switch self {
    case .data: "the data set: a built-in generator or a file reader (required)"
    case .split: "how the samples are divided into training, validation and test parts"
    case .preprocess:
      "how features and regression targets are scaled (statistics from training data)"
    case .layer: "one layer of the network; layers run in the order written (at least one)"
    case .loss: "the loss; default mse for regression, for classes one that suits the last layer"
    case .optimizer: "the update rule; default adam lr=0.001"
    case .schedule: "the learning-rate schedule; default constant"
    case .train: "epochs, batch size, seed, precision and other training settings"
    case .earlyStopping: "stop when the monitored loss stops improving (off when absent)"
    case .weights: "initial weights from a safetensors file instead of random initialization"
    case .output: "where the checkpoint, plots and predictions go"
    }
  }

  /// The declared keys of a statement of fixed keys (empty for component statements, whose keys are
  /// the component's options).
  public var options: [OptionSpec] {
    switch self {
    case .split: Self.splitOptions
    case .preprocess: Self.preprocessOptions
    case .train: Self.trainOptions
    case .earlyStopping: Self.earlyStoppingOptions
    case .weights: Self.weightsOptions
    case .output: Self.outputOptions
    case .data, .layer, .loss, .optimizer, .schedule: []
    }
  }

  /// Words a path key of this statement accepts besides a path, written unquoted
  /// (`checkpoint=none`); a quoted `"none"` is a file named `none`.
  public func pathWords(of key: String) -> [String] {
    guard self == .output else { return [] }
    return key == "checkpoint" ? ["auto", "none"] : ["none"]
  }

  /// The keys of `split`.
  public static let splitOptions: [OptionSpec] = [
    OptionSpec(
      "validation", .real(minimum: 0, maximum: 1), default: .real(0),
      help: "fraction of the samples held out for validation (0 = none)"),
    OptionSpec(
      "test", .real(minimum: 0, maximum: 1), default: .real(0),
      help: "fraction of the samples held out for the final test (0 = none)"),
    OptionSpec(
      "stratify", .boolean, default: .boolean(true),
      help: "keep the class proportions in every part (classification only)"),
    OptionSpec(
      "shuffle", .boolean, default: .boolean(true), help: "shuffle (seeded) before splitting"),
  ]

  /// The keys of `preprocess`.
  public static let preprocessOptions: [OptionSpec] = [
    OptionSpec(
      "features", .text(choices: Scaling.allCases.map(\.rawValue)), default: .text("none"),
      help: "scaling of the input features: none, standardize (z-score) or minmax (into [0, 1])"),
    OptionSpec(
      "targets", .text(choices: Scaling.allCases.map(\.rawValue)), default: .text("none"),
      help: "scaling of regression targets (predictions are scaled back)"),
    OptionSpec(
      "divide", .real(minimum: 0, minimumExclusive: true), default: .real(1),
      help: "divide every feature by this first, e.g. 16 for 0–16 pixels (applied before scaling)"),
  ]

  /// The keys of `train`.
  public static let trainOptions: [OptionSpec] = [
    OptionSpec(
      "epochs", .integer(0...Int.max), default: .integer(100),
      help: "passes over the training data; 0 evaluates without training"),
    OptionSpec(
      "batch", .integerOrWord(1...Int.max, words: ["full"]), default: .integer(32),
      help: "samples per gradient step; full = the whole training set, 1 = stochastic"),
    OptionSpec(
      "seed", .integer(0...Int.max), default: .integer(0),
      help: "seed of the run's random generator (weights, shuffles, dropout)"),
    OptionSpec(
      "precision", .text(choices: Precision.allCases.map(\.rawValue)), default: .text("float"),
      help: "float (32-bit, fast) or double (64-bit)"),
    OptionSpec(
      "shuffle", .boolean, default: .boolean(true),
      help: "reshuffle the training samples every epoch"),
    OptionSpec(
      "clip_norm", .real(minimum: 0), default: .real(0),
      help: "clip the gradients' global L2 norm to this value; 0 = no clipping"),
    OptionSpec(
      "weight_decay", .real(minimum: 0), default: .real(0),
      help: "L2 penalty λ/2·‖W‖² added to the loss (λ·W added to weight gradients); 0 = none"),
    OptionSpec(
      "threads", .integer(0...Kernels.maximumThreadCount), default: .integer(0),
      help:
        "worker threads for the kernels, at most \(Kernels.maximumThreadCount); 0 = one per core"),
    OptionSpec(
      "step", .text(choices: StepChoice.allCases.map(\.rawValue)), default: .text("auto"),
      help: "how each step runs: auto (the fastest that qualifies), reference, fused or sharded"),
  ]

  /// The keys of `early_stopping`.
  public static let earlyStoppingOptions: [OptionSpec] = [
    OptionSpec(
      "patience", .integer(1...Int.max), default: .integer(10),
      help: "epochs without improvement before stopping"),
    OptionSpec(
      "min_delta", .real(minimum: 0), default: .real(0),
      help: "the smallest decrease of the monitored loss that counts as an improvement"),
    OptionSpec(
      "monitor", .text(choices: ["val_loss", "loss"]), default: .text("val_loss"),
      help: "val_loss (needs a validation split) or loss (the training loss)"),
    OptionSpec(
      "restore_best", .boolean, default: .boolean(true),
      help: "put back the weights of the best epoch at the end"),
  ]

  /// The keys of `weights`.
  public static let weightsOptions: [OptionSpec] = [
    OptionSpec(
      "from", .path, default: nil,
      help: "a safetensors file whose tensors (layers.0.weight, …) become the initial weights")
  ]

  /// The keys of `output`.
  public static let outputOptions: [OptionSpec] = [
    OptionSpec(
      "checkpoint", .path, default: .text("auto"),
      help:
        "the checkpoint to write; auto = beside the model file, named after it; none = no checkpoint"
    ),
    OptionSpec(
      "plot_loss", .path, default: .text("none"),
      help: "SVG of the training and validation loss per epoch"),
    OptionSpec(
      "plot_fit", .path, default: .text("none"),
      help: "SVG of target and prediction over the input range (one-input regression)"),
    OptionSpec(
      "plot_regions", .path, default: .text("none"),
      help: "SVG of the decision regions with the data on top (two-input classifier)"),
    OptionSpec(
      "plot_gradients", .path, default: .text("none"),
      help: "SVG of each layer's weight-gradient norm per epoch (the vanishing gradient)"),
    OptionSpec(
      "predictions", .path, default: .text("none"),
      help: "CSV of the predictions on the whole data set after training"),
  ]
}
