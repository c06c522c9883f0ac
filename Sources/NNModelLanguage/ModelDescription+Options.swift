import NNProtocols

// The settings of the fixed statements, to and from the options declared in `ModelStatement`: the
// parser reads validated options into them, the printer writes them back out.

extension SplitSettings {
  /// The settings of a validated `split` statement (every key of `ModelStatement.splitOptions`).
  package init(statementOptions options: Options) {
    self.init(
      validation: options.real("validation"), test: options.real("test"),
      stratify: options.boolean("stratify"), shuffle: options.boolean("shuffle"))
  }

  /// The settings as `split` options, in declaration order.
  package var statementOptions: Options {
    Options([
      ("validation", .real(validation)), ("test", .real(test)), ("stratify", .boolean(stratify)),
      ("shuffle", .boolean(shuffle)),
    ])
  }
}

extension PreprocessSettings {
  /// The settings of a validated `preprocess` statement.
  package init(statementOptions options: Options) {
    self.init(
      features: Scaling(rawValue: options.text("features")) ?? .none,
      targets: Scaling(rawValue: options.text("targets")) ?? .none,
      divide: options.real("divide"))
  }

  /// The settings as `preprocess` options.
  package var statementOptions: Options {
    Options([
      ("features", .text(features.rawValue)), ("targets", .text(targets.rawValue)),
      ("divide", .real(divide)),
    ])
  }
}

extension TrainingSettings {
  /// The settings of a validated `train` statement; `batch=full` is `batchSize == nil`.
  package init(statementOptions options: Options) {
    let batch: Int? =
      if case .integer(let size)? = options["batch"] { size } else { nil }
    self.init(
      epochs: options.integer("epochs"), batchSize: batch,
      seed: UInt64(options.integer("seed")),
      precision: Precision(rawValue: options.text("precision")) ?? .float,
      shuffle: options.boolean("shuffle"), clipNorm: options.real("clip_norm"),
      weightDecay: options.real("weight_decay"), threads: options.integer("threads"),
      step: StepChoice(rawValue: options.text("step")) ?? .auto)
  }

  /// The settings as `train` options (a seed above `Int.max` is clamped).
  package var statementOptions: Options {
    Options([
      ("epochs", .integer(epochs)), ("batch", batchSize.map { .integer($0) } ?? .text("full")),
      ("seed", .integer(Int(clamping: seed))), ("precision", .text(precision.rawValue)),
      ("shuffle", .boolean(shuffle)), ("clip_norm", .real(clipNorm)),
      ("weight_decay", .real(weightDecay)), ("threads", .integer(threads)),
      ("step", .text(step.rawValue)),
    ])
  }
}

extension EarlyStoppingSettings {
  /// The settings of a validated `early_stopping` statement.
  package init(statementOptions options: Options) {
    self.init(
      patience: options.integer("patience"), minDelta: options.real("min_delta"),
      monitor: options.text("monitor"), restoreBest: options.boolean("restore_best"))
  }

  /// The settings as `early_stopping` options.
  package var statementOptions: Options {
    Options([
      ("patience", .integer(patience)), ("min_delta", .real(minDelta)),
      ("monitor", .text(monitor)), ("restore_best", .boolean(restoreBest)),
    ])
  }
}

extension OutputSettings {
  /// The settings of a validated `output` statement: `checkpoint=auto` is `checkpoint == nil`,
  /// `checkpoint=none` is `save == false`, `none` for any other key is `nil`.
  package init(statementOptions options: Options) {
    func path(_ key: String) -> String? {
      let value = options.text(key)
      return value == "none" ? nil : value
    }
    let checkpoint = options.text("checkpoint")
    self.init(
      checkpoint: checkpoint == "auto" || checkpoint == "none" ? nil : checkpoint,
      save: checkpoint != "none", plotLoss: path("plot_loss"), plotFit: path("plot_fit"),
      plotRegions: path("plot_regions"), plotGradients: path("plot_gradients"),
      predictions: path("predictions"))
  }

  /// The settings as `output` options.
  package var statementOptions: Options {
    let checkpointWord = save ? (checkpoint ?? "auto") : "none"
    return Options([
      ("checkpoint", .text(checkpointWord)), ("plot_loss", .text(plotLoss ?? "none")),
      ("plot_fit", .text(plotFit ?? "none")), ("plot_regions", .text(plotRegions ?? "none")),
      ("plot_gradients", .text(plotGradients ?? "none")),
      ("predictions", .text(predictions ?? "none")),
    ])
  }
}
