import NNProtocols

/// A model file after parsing and validation: every component resolved by name in the registry, every
/// option filled in with its default. `nnpipe check` prints it; checkpoints store it.
public struct ModelDescription: Sendable, Equatable {
  /// Where the text came from (as the user named it), for messages; `nil` for text given in code.
  public var sourcePath: String?
  /// The folder relative paths in the file are resolved against.
  public var baseDirectory: String

  /// `data NAME key=value…`: the data set (a generator or a file reader).
  public var data: ComponentReference
  /// `split …`: how the data is divided.
  public var split: SplitSettings
  /// `preprocess …`: how features (and regression targets) are scaled.
  public var preprocessing: PreprocessSettings
  /// `layer KIND key=value…`, in order.
  public var layers: [ComponentReference]
  /// `loss NAME …`; `nil` means the default for the task (see `Defaults`).
  public var loss: ComponentReference?
  /// `optimizer NAME …`; `nil` means the default, `adam lr=0.001`
  /// (`ModelStatement.optimizer.defaultComponent`).
  public var optimizer: ComponentReference?
  /// `schedule NAME …`; `nil` means a constant learning rate.
  public var schedule: ComponentReference?
  /// `train …`: epochs, batch size, seed, precision, clipping.
  public var training: TrainingSettings
  /// `early_stopping …`; `nil` when absent.
  public var earlyStopping: EarlyStoppingSettings?
  /// `weights from=PATH`: initial weights from a safetensors file (absolute path), or `nil`.
  public var initialWeights: String?
  /// `output …`: where results go.
  public var outputs: OutputSettings
  /// The line of each statement in the model file (`data`, `loss`, `layers.0`, …), so problems found
  /// after parsing (a last layer that does not fit the data) can name it. Empty for text given in code;
  /// not part of equality (the same model written differently is the same model).
  public var statementLines: [String: Int] = [:]

  public init(
    sourcePath: String?, baseDirectory: String, data: ComponentReference,
    split: SplitSettings = SplitSettings(),
    preprocessing: PreprocessSettings = PreprocessSettings(),
    layers: [ComponentReference], loss: ComponentReference? = nil,
    optimizer: ComponentReference? = nil, schedule: ComponentReference? = nil,
    training: TrainingSettings = TrainingSettings(), earlyStopping: EarlyStoppingSettings? = nil,
    initialWeights: String? = nil, outputs: OutputSettings = OutputSettings()
  ) {
    self.sourcePath = sourcePath
    self.baseDirectory = baseDirectory
    self.data = data
    self.split = split
    self.preprocessing = preprocessing
    self.layers = layers
    self.loss = loss
    self.optimizer = optimizer
    self.schedule = schedule
    self.training = training
    self.earlyStopping = earlyStopping
    self.initialWeights = initialWeights
    self.outputs = outputs
  }
}

extension ModelDescription {
  public static func == (lhs: ModelDescription, rhs: ModelDescription) -> Bool {
    lhs.sourcePath == rhs.sourcePath && lhs.baseDirectory == rhs.baseDirectory
      && lhs.data == rhs.data && lhs.split == rhs.split && lhs.preprocessing == rhs.preprocessing
      && lhs.layers == rhs.layers && lhs.loss == rhs.loss && lhs.optimizer == rhs.optimizer
      && lhs.schedule == rhs.schedule && lhs.training == rhs.training
      && lhs.earlyStopping == rhs.earlyStopping && lhs.initialWeights == rhs.initialWeights
      && lhs.outputs == rhs.outputs
  }

  /// An input error about the statement `key` (`"loss"`, `"layers.2"`), naming the model file and
  /// the statement's line when known.
  public func error(at key: String, _ message: String, hint: String? = nil) -> InputError {
    InputError(file: sourcePath, line: statementLines[key], message, hint: hint)
  }
}

/// `split validation=0 test=0 stratify=true shuffle=true`
public struct SplitSettings: Sendable, Equatable {
  /// Fraction of the samples held out for validation (0 = none). Default 0.
  public var validation: Double = 0
  /// Fraction held out for the final test (0 = none). Default 0.
  public var test: Double = 0
  /// Keep class proportions in every part (classification only). Default true.
  public var stratify: Bool = true
  /// Shuffle before splitting (seeded). Default true.
  public var shuffle: Bool = true

  public init(validation: Double = 0, test: Double = 0, stratify: Bool = true, shuffle: Bool = true)
  {
    self.validation = validation
    self.test = test
    self.stratify = stratify
    self.shuffle = shuffle
  }
}

/// How values are scaled before training; statistics come from the training split only.
public enum Scaling: String, Sendable, Equatable, CaseIterable {
  /// Unchanged.
  case none
  /// z-score: `(x − mean) / std`.
  case standardize
  /// Into [0, 1]: `(x − min) / (max − min)`.
  case minmax
}

/// `preprocess features=none targets=none divide=1`
public struct PreprocessSettings: Sendable, Equatable {
  /// Every feature is divided by this before any scaling (e.g. 16 for pixels valued 0–16). Default 1.
  public var divide: Double = 1
  /// Scaling of the input features. Default `none`.
  public var features: Scaling = .none
  /// Scaling of regression targets (predictions are scaled back). Default `none`.
  public var targets: Scaling = .none

  public init(features: Scaling = .none, targets: Scaling = .none, divide: Double = 1) {
    self.features = features
    self.targets = targets
    self.divide = divide
  }
}

/// `train epochs=100 batch=32 seed=0 precision=float shuffle=true clip_norm=0 weight_decay=0 threads=0
/// step=auto`
public struct TrainingSettings: Sendable, Equatable {
  /// Passes over the training data. Default 100; 0 evaluates without training.
  public var epochs: Int = 100
  /// Samples per gradient step; `nil` = the whole training set (full-batch gradient descent), 1 =
  /// stochastic. Default 32.
  public var batchSize: Int? = 32
  /// Seed of the run's one random generator (weights, shuffles, dropout). Default 0.
  public var seed: UInt64 = 0
  /// Default `float`.
  public var precision: Precision = .float
  /// Reshuffle the training samples every epoch. Default true.
  public var shuffle: Bool = true
  /// Clip the gradients' global L2 norm to this value; 0 = no clipping. Default 0.
  public var clipNorm: Double = 0
  /// L2 penalty `λ/2·‖W‖²` added to the loss (as `λ·W` to weight gradients); 0 = none. Default 0.
  public var weightDecay: Double = 0
  /// Worker threads for the kernels; 0 = one per core. Default 0.
  public var threads: Int = 0
  /// How each training step runs. Default `auto`.
  public var step: StepChoice = .auto

  public init(
    epochs: Int = 100, batchSize: Int? = 32, seed: UInt64 = 0, precision: Precision = .float,
    shuffle: Bool = true, clipNorm: Double = 0, weightDecay: Double = 0, threads: Int = 0,
    step: StepChoice = .auto
  ) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.precision = precision
    self.shuffle = shuffle
    self.clipNorm = clipNorm
    self.weightDecay = weightDecay
    self.threads = threads
    self.step = step
  }
}

/// `train step=`: how each training step runs (see NNTraining's `StepPlanner`).
public enum StepChoice: String, Sendable, Equatable, CaseIterable {
  /// The fastest step that qualifies.
  case auto
  /// Layer by layer, as the tutorials write it.
  case reference
  /// A small dense network's whole step in one kernel call.
  case fused
  /// The first layer's units split into shards over the cores.
  case sharded
}

/// `early_stopping patience=10 min_delta=0 monitor=val_loss restore_best=true`
public struct EarlyStoppingSettings: Sendable, Equatable {
  /// Epochs without improvement before stopping. Default 10.
  public var patience: Int = 10
  /// The smallest decrease that counts as an improvement. Default 0.
  public var minDelta: Double = 0
  /// `val_loss` (needs a validation split) or `loss`. Default `val_loss`.
  public var monitor: String = "val_loss"
  /// Put back the weights of the best epoch at the end. Default true.
  public var restoreBest: Bool = true

  public init(
    patience: Int = 10, minDelta: Double = 0, monitor: String = "val_loss", restoreBest: Bool = true
  ) {
    self.patience = patience
    self.minDelta = minDelta
    self.monitor = monitor
    self.restoreBest = restoreBest
  }
}

/// `output checkpoint=PATH plot_loss=PATH plot_fit=PATH plot_regions=PATH plot_gradients=PATH
/// predictions=PATH`
///
/// Paths are absolute after parsing (resolved against the model file's folder).
public struct OutputSettings: Sendable, Equatable {
  /// The checkpoint to write; `nil` = beside the model file, named after it (`sine.txt` →
  /// `sine.safetensors`). The word `none` in the file turns saving off (`save == false`).
  public var checkpoint: String?
  /// Whether to save a checkpoint at all. Default true.
  public var save: Bool = true
  /// SVG of the loss curve (training and validation per epoch), or `nil`.
  public var plotLoss: String?
  /// SVG of target and prediction over the input range (one-input regression), or `nil`.
  public var plotFit: String?
  /// SVG of the decision regions with the data on top (two-input classifier), or `nil`.
  public var plotRegions: String?
  /// SVG of each layer's weight-gradient norm per epoch (the vanishing gradient), or `nil`.
  public var plotGradients: String?
  /// CSV of the predictions on the whole data set after training, or `nil`.
  public var predictions: String?

  public init(
    checkpoint: String? = nil, save: Bool = true, plotLoss: String? = nil, plotFit: String? = nil,
    plotRegions: String? = nil, plotGradients: String? = nil, predictions: String? = nil
  ) {
    self.checkpoint = checkpoint
    self.save = save
    self.plotLoss = plotLoss
    self.plotFit = plotFit
    self.plotRegions = plotRegions
    self.plotGradients = plotGradients
    self.predictions = predictions
  }
}
