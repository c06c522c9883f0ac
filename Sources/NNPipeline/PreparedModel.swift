import NNDatasets
import NNLosses
import NNModelLanguage
import NNProtocols

/// The data of a run: loaded, split and scaled (statistics from the training part only).
public struct PreparedData {
  /// The data set as loaded, before splitting and scaling.
  public var dataset: Dataset
  /// The parts, scaled.
  public var train: Dataset
  public var validation: Dataset
  public var test: Dataset
  /// The feature scaling fitted on the training part.
  public var featureScaler: Scaler
  /// The regression-target scaling fitted on the training part, if any.
  public var targetScaler: Scaler?
}

/// One row of the summary table `nnpipe check` prints.
public struct LayerSummary: Sendable, Equatable {
  public var index: Int
  public var kind: String
  public var outputShape: [Int]
  public var parameterCount: Int
  public var detail: String
}

/// A model description with its components built (but no weights yet).
public struct PreparedModel {
  public var description: ModelDescription
  public var builders: [any LayerBuilder]
  public var loss: any Loss
  /// The loss reference actually used (`defaultLossName` when the file has no `loss` line).
  public var lossReference: ComponentReference
  public var optimizer: any Optimizer
  /// The optimizer reference actually used (`defaultOptimizer` when the file has no `optimizer`
  /// line).
  public var optimizerReference: ComponentReference
  public var schedule: (any LearningRateSchedule)?
  /// Features per sample.
  public var inputSize: Int
  /// Network outputs.
  public var outputSize: Int
  /// Class names for a classifier, else `nil`.
  public var classNames: [String]?
  /// Layer by layer, for the summary table.
  public var summary: [LayerSummary]

  /// Whether the loss is the default one because the model file has no `loss` line.
  public var usesDefaultLoss: Bool { description.loss == nil }
  /// Whether the optimizer is the default one because the model file has no `optimizer` line.
  public var usesDefaultOptimizer: Bool { description.optimizer == nil }

  /// The loss as messages name it: `loss 'nll'`, or `the default loss 'nll' (no `loss` line)` when
  /// the user wrote none, so an error never blames a loss as if the user had chosen it.
  public var lossPhrase: String {
    usesDefaultLoss
      ? "the default loss '\(lossReference.name)' (no `loss` line)" : "loss '\(lossReference.name)'"
  }

  /// The optimizer used when a model file has no `optimizer` line: Adam with its defaults (lr 0.001,
  /// β₁ 0.9, β₂ 0.999, ε 1e-8), as scikit-learn's `MLPClassifier` and Keras default to; it trains the
  /// usual small problems without tuning. Declared once, as `ModelStatement.defaultComponent`.
  public static let defaultOptimizer = ModelStatement.optimizer.defaultComponent ?? "adam"

  /// The loss used when a model file has no `loss` line, chosen from the kind of data and what the
  /// last layer declares it outputs (`LayerBuilder.outputForm`), never from a component's name:
  ///
  /// | data | the last layer outputs | default loss |
  /// |---|---|---|
  /// | regression targets | anything | `mse` |
  /// | classes | a distribution (softmax) | `nll` |
  /// | classes | values in [0, 1] (sigmoid) | `binary_cross_entropy` |
  /// | classes, one output (two classes) | other values (scores) | `bce_with_logits` |
  /// | classes, one output per class | other values (scores) | `cross_entropy` |
  public static func defaultLossName(
    outputForm: LayerOutputForm, isClassifier: Bool, outputs: Int
  ) -> String {
    guard isClassifier else { return "mse" }
    if outputForm == .distribution { return "nll" }
    if outputForm.isProbability { return "binary_cross_entropy" }
    return outputs == 1 ? "bce_with_logits" : "cross_entropy"
  }

  /// Total trainable scalars (`Int.max` if the sum overflows).
  public var parameterCount: Int {
    summary.reduce(0) { total, layer in
      let (sum, overflow) = total.addingReportingOverflow(layer.parameterCount)
      return overflow ? Int.max : sum
    }
  }

  /// The targets in the form the loss reads them (`Loss.targetEncoding`).
  ///
  /// Regression targets pass through. Class data arrives as one class index per row and becomes:
  /// - `.classIndices`: the indices themselves (cross-entropy, NLL);
  /// - `.values`, `.unitInterval`: one-hot rows of 0/1, or the index itself (0/1) for a single
  ///   output of two classes;
  /// - `.signs`: the same with −1 for 0, so hinge sees −1/+1 (the standard conversion of two class
  ///   labels for a margin loss).
  public func lossTargets(_ targets: Matrix<Double>) -> Matrix<Double> {
    guard let classes = classNames?.count else { return targets }
    let encoding = loss.targetEncoding
    if encoding == .classIndices { return targets }
    let encoded =
      outputSize == 1 ? targets.copy() : Preprocessing.oneHot(targets, classes: classes)
    if encoding == .signs {
      for i in 0..<encoded.count { encoded.base[i] = 2 * encoded.base[i] - 1 }
    }
    return encoded
  }

  /// Builds the components of `description` for data with `inputSize` features.
  ///
  /// - Parameters:
  ///   - classNames: the data's classes (classification), or `nil` (regression).
  ///   - targetCount: target columns for regression.
  /// Every check reads declarations: the last layer's `outputForm`, the loss's `expectedOutput` and
  /// `targetEncoding`; hints name the components that declare what would fit.
  ///
  /// - Throws: `InputError` naming the model file when the pieces do not fit together: the last layer's
  ///   size against the data, a loss that expects logits after a softmax (or probabilities after an
  ///   unbounded output, or a distribution after independent values), an untrainable activation in a
  ///   network that is to be trained.
  public init(
    _ description: ModelDescription, registry: ComponentRegistry, inputSize: Int,
    classNames: [String]?, targetCount: Int
  ) throws {
    self.description = description
    self.inputSize = inputSize
    self.classNames = classNames
    /// Runs `body`, giving an error that names no file (a component's own check, e.g. Nesterov
    /// without momentum) the model file and the line of statement `key`.
    func located<T>(_ key: String, _ body: () throws -> T) throws -> T {
      do {
        return try body()
      } catch var error as InputError where error.file == nil {
        error.file = description.sourcePath
        error.line = description.statementLines[key]
        throw error
      }
    }
    builders = try description.layers.enumerated().map { index, reference in
      try located("layers.\(index)") { try registry.makeLayer(reference) }
    }
    var size = inputSize
    var summary: [LayerSummary] = []
    for (index, builder) in builders.enumerated() {
      let parameters = builder.parameterCount(inputSize: size)
      size = builder.outputSize(inputSize: size)
      summary.append(
        LayerSummary(
          index: index, kind: builder.kind, outputShape: [size], parameterCount: parameters,
          detail: builder.detail))
    }
    self.summary = summary
    outputSize = size

    let last = builders.last
    let outputForm = last?.outputForm ?? .values(-Double.infinity...Double.infinity)
    let defaultLoss = Self.defaultLossName(
      outputForm: outputForm, isClassifier: classNames != nil, outputs: size)
    let lossChoice = try description.loss ?? registry.reference(.loss, defaultLoss)
    let optimizerChoice =
      try description.optimizer ?? registry.reference(.optimizer, Self.defaultOptimizer)
    lossReference = lossChoice
    optimizerReference = optimizerChoice
    loss = try located("loss") { try registry.makeLoss(lossChoice) }
    optimizer = try located("optimizer") { try registry.makeOptimizer(optimizerChoice) }
    schedule = try located("schedule") {
      try description.schedule.map { try registry.makeSchedule($0) }
    }
    let lastLayer = "layers.\(max(0, builders.count - 1))"

    // The output layer must match the data.
    if let classNames {
      let binary = classNames.count == 2 && size == 1
      guard size == classNames.count || binary else {
        throw description.error(
          at: lastLayer,
          "the last layer gives \(size) output\(size == 1 ? "" : "s") but the data has "
            + "\(classNames.count) classes (\(classNames.prefix(5).joined(separator: ", "))"
            + "\(classNames.count > 5 ? ", …" : "")); expected units=\(classNames.count)"
            + (classNames.count == 2 ? " (or 1: a score or a probability of the second class)" : "")
        )
      }
    } else if size != targetCount {
      throw description.error(
        at: lastLayer,
        "the last layer gives \(size) output\(size == 1 ? "" : "s") but the data has "
          + "\(targetCount) target column\(targetCount == 1 ? "" : "s"); expected units=\(targetCount)"
      )
    }

    // Problems of the loss are reported at its line, or at the last layer when it is the default.
    let lossPlace = description.loss == nil ? lastLayer : "loss"

    // A loss over class indices needs one output per class (not one output for two classes).
    if let classNames, loss.targetEncoding == .classIndices, size != classNames.count {
      throw description.error(
        at: lossPlace,
        "\(lossPhrase) reads class indices and needs one output per class, but the last layer "
          + "gives \(size) output\(size == 1 ? "" : "s") for \(classNames.count) classes",
        hint: "use units=\(classNames.count) on the last layer"
          + (lossName(
            registry, expecting: outputForm.isProbability ? .probabilities : .logits,
            encoding: .unitInterval
          ).map { ", or `loss \($0)` for one output" } ?? ""))
    }

    // The loss must suit what the last layer produces.
    let produced = Self.describe(outputForm, of: last)
    let applied = loss.targetEncoding == .classIndices ? "softmax" : "the sigmoid"
    switch loss.expectedOutput {
    case .logits where outputForm.isProbability:
      let alternative = lossName(registry, expecting: .probabilities, encoding: loss.targetEncoding)
      let instead = alternative.map { " or use `loss \($0)`" } ?? ""
      throw description.error(
        at: lossPlace,
        "\(lossPhrase) applies \(applied) itself and expects raw scores (logits), but the last layer "
          + "outputs \(produced) probabilities",
        hint: outputForm == .distribution
          ? "remove the \(last?.kind ?? "last") layer (recommended, it is more stable)\(instead)"
          : "use `activation=identity` on the last layer\(alternative.map { ", or `loss \($0)`" } ?? "")"
      )
    case .probabilities where !outputForm.isProbability:
      let alternative = lossName(registry, expecting: .logits, encoding: loss.targetEncoding)
      throw description.error(
        at: lossPlace,
        "\(lossPhrase) expects probabilities, but the last layer outputs \(Self.rangeText(outputForm)) "
          + "(\(produced))",
        hint: alternative.map {
          "use `loss \($0)`, which applies \(applied) itself"
        })
    case .probabilities where loss.targetEncoding == .classIndices && outputForm != .distribution:
      let alternative = lossName(registry, expecting: .logits, encoding: .classIndices)
      throw description.error(
        at: lossPlace,
        "\(lossPhrase) expects each row to be a probability distribution over the classes, but the "
          + "last layer outputs \(produced) values that need not sum to 1",
        hint: "end with `layer softmax` after a layer with `activation=identity`"
          + (alternative.map { ", or use `loss \($0)` without them" } ?? ""))
    case .values where outputForm == .distribution:
      let forDistribution = lossName(registry, expecting: .probabilities, encoding: .classIndices)
      let forScores = lossName(registry, expecting: .logits, encoding: .classIndices)
      throw description.error(
        at: lossPlace,
        "\(lossPhrase) is a regression loss, but the last layer outputs a probability distribution "
          + "(\(produced))",
        hint: "for classification use "
          + [
            forDistribution.map { "`loss \($0)` after a \(last?.kind ?? "distribution")" },
            forScores.map { "drop the \(last?.kind ?? "last layer") and use `loss \($0)`" },
          ].compactMap { $0 }.joined(separator: ", or "))
    default: break
    }

    // Plots that need a particular kind of data.
    if description.outputs.plotFit != nil, inputSize != 1 || classNames != nil || targetCount != 1 {
      throw description.error(
        at: "output",
        "output plot_fit draws a one-input regression, but the data has \(inputSize) input"
          + "\(inputSize == 1 ? "" : "s")\(classNames != nil ? " and classes" : "")",
        hint: "use plot_regions for a two-input classifier, or plot_loss")
    }
    if description.outputs.plotRegions != nil, inputSize != 2 || classNames == nil {
      throw description.error(
        at: "output",
        "output plot_regions draws a two-input classifier's decision regions, but the data has "
          + "\(inputSize) input\(inputSize == 1 ? "" : "s")\(classNames == nil ? " and no classes" : "")",
        hint: "use plot_fit for a one-input regression, or plot_loss")
    }

    // sign and step have a zero derivative: they evaluate hand-set weights, they cannot learn.
    if description.training.epochs > 0 {
      for (index, builder) in builders.enumerated() {
        if let activation = builder.outputActivation, !activation.isTrainable {
          throw description.error(
            at: "layers.\(index)",
            "layer \(index) uses activation '\(activation.name)', whose derivative is zero "
              + "everywhere: it cannot be trained by back-propagation",
            hint:
              "use it with hand-set weights (`weights from=FILE` and `train epochs=0`), or train "
              + "with sigmoid or tanh instead")
        }
      }
    }
  }
}

extension PreparedModel {
  /// The checks that need the data, made before training: the optimizer's declared requirements
  /// (`checkOptimizerRequirements`) and every target against the loss (`checkTargets`).
  public func checkTrainingSetup(_ data: PreparedData, registry: ComponentRegistry) throws {
    try checkOptimizerRequirements(trainingSamples: data.train.count)
    try checkTargets(data, registry: registry)
  }

  /// Checks each of the optimizer's declared `requirements` against the training settings; a network
  /// that is not trained (`epochs=0`) meets them all.
  ///
  /// - Throws: `InputError` at the `train` statement (or the `optimizer` line when there is none),
  ///   e.g. for `.fullBatch` with `batch` smaller than the training set: the value of `batch` and
  ///   what was expected (`batch=full`, or at least the number of training samples).
  public func checkOptimizerRequirements(trainingSamples: Int) throws {
    guard description.training.epochs > 0 else { return }
    let optimizerName =
      usesDefaultOptimizer
      ? "the default optimizer '\(optimizerReference.name)' (no `optimizer` line)"
      : "optimizer '\(optimizerReference.name)'"
    let hasTrainLine = description.statementLines["train"] != nil
    for requirement in optimizer.requirements.sorted(by: { $0.description < $1.description }) {
      switch requirement {
      case .fullBatch:
        guard let batch = description.training.batchSize, batch < trainingSamples else { continue }
        throw description.error(
          at: hasTrainLine ? "train" : "optimizer",
          "\(optimizerName) trains on the full batch only, but `train` option 'batch' is \(batch)"
            + (hasTrainLine ? "" : " (the default; no `train` line)")
            + " and the training set has \(trainingSamples) samples; expected batch=full "
            + "(or batch ≥ \(trainingSamples))",
          hint: "write `train batch=full`: its update compares the gradients of successive steps, "
            + "which only works when every step sees the same, whole training set")
      }
    }
  }

  /// Checks every target of the data set, in file order, against the loss when it can say what it
  /// accepts (`TargetValidating`): the targets as the loss sees them, i.e. scaled
  /// (`preprocess targets=…`) and encoded (`lossTargets`).
  ///
  /// - Throws: `InputError` naming the data file (for a generated data set: the model file's `data`
  ///   line), the 1-based data row (and column when there are several), the loss, the value and what
  ///   was expected; it says so when the scaling of the targets made a value unfit.
  public func checkTargets(_ data: PreparedData, registry: ComponentRegistry) throws {
    guard let validating = loss as? any TargetValidating else { return }
    let raw = data.dataset.targets
    let scaled = data.targetScaler?.transform(raw) ?? raw
    guard let problem = validating.targetProblem(lossTargets(scaled), outputs: outputSize) else {
      return
    }
    // Which file the targets come from: the data statement's last path option (csv and fann have
    // one; idx's labels file follows its images). A generator has none.
    let specs = registry.optionSpecs(of: .dataset, named: description.data.name) ?? []
    let dataFile = specs.filter { $0.type == .path }.compactMap { spec -> String? in
      guard case .text(let path)? = description.data.options[spec.name], !path.isEmpty else {
        return nil
      }
      return path
    }.last
    var place = problem.row.map { "data row \($0 + 1)" } ?? "the targets"
    if let column = problem.column, scaled.cols > 1 || outputSize > 1 {
      place += ", column \(column + 1)"
    }
    if dataFile == nil { place += " of `data \(description.data.name)`" }
    let prefix = "\(loss.name): "
    let detail =
      problem.message.hasPrefix(prefix)
      ? String(problem.message.dropFirst(prefix.count)) : problem.message
    var message = "\(lossPhrase) cannot use the targets: \(place): \(detail)"
    if let scaler = data.targetScaler, let row = problem.row, let column = problem.column,
      validating.targetProblem(lossTargets(raw), outputs: outputSize) == nil
    {
      message +=
        " after `preprocess targets=\(scaler.kind.rawValue)` (the data holds "
        + "\(formatReal(raw[row, column])))"
    }
    let hint =
      switch loss.targetEncoding {
      case .unitInterval:
        "give targets in [0, 1] (`preprocess targets=minmax` maps values into [0, 1]), or use a "
          + "regression loss such as `loss mse`"
      case .signs:
        "give the two labels as classes (they become -1/+1; a csv file's `task=classification`), "
          + "or targets of -1 and +1"
      case .classIndices:
        "give the targets as class labels (a csv file's `task=classification`), or use a "
          + "regression loss such as `loss mse`"
      case .values: "fix or remove that row"
      }
    if let dataFile {
      throw InputError(file: dataFile, message, hint: hint)
    }
    throw description.error(at: "data", message, hint: hint)
  }

  /// The first registered loss (in name order) that declares `expecting` as its input and reads
  /// targets as `encoding`, for hints; built with default options (a loss that needs options is
  /// skipped).
  func lossName(_ registry: ComponentRegistry, expecting: LossInput, encoding: TargetEncoding)
    -> String?
  {
    registry.names(of: .loss).first { name in
      guard let loss = try? registry.makeLoss(registry.reference(.loss, name)) else { return false }
      return loss.expectedOutput == expecting && loss.targetEncoding == encoding
    }
  }

  /// What produces `form`, for messages: the last layer's activation, or its kind (`softmax`).
  static func describe(_ form: LayerOutputForm, of last: (any LayerBuilder)?) -> String {
    guard let last else { return "identity" }
    if form == .distribution { return last.kind }
    return last.outputActivation?.name ?? last.kind
  }

  /// The range of `form` in words: `unbounded values`, `values in [-1, 1]`.
  static func rangeText(_ form: LayerOutputForm) -> String {
    switch form {
    case .distribution: return "a probability distribution per row"
    case .values(let range):
      if range.lowerBound == -Double.infinity && range.upperBound == Double.infinity {
        return "unbounded values"
      }
      func bound(_ value: Double) -> String {
        value.isInfinite ? (value < 0 ? "-∞" : "∞") : formatReal(value)
      }
      return "values in [\(bound(range.lowerBound)), \(bound(range.upperBound))]"
    }
  }
}

extension PreparedData {
  /// Loads, splits and scales the data of `description`.
  public init(_ description: ModelDescription, registry: ComponentRegistry) throws {
    let context = DatasetContext(
      baseDirectory: description.baseDirectory, seed: description.training.seed)
    try self.init(description, dataset: registry.makeDataset(description.data, context: context))
  }

  /// Splits and scales `dataset` as `description`'s `split` and `preprocess` statements say (its
  /// `data` statement is not read): data held in memory, e.g. by `Model.train(on:)`.
  ///
  /// - Throws: `InputError` for an empty data set or a split that leaves no training samples.
  public init(_ description: ModelDescription, dataset: Dataset) throws {
    self.dataset = dataset
    guard dataset.count > 0 else {
      throw InputError(file: description.sourcePath, "data set '\(dataset.name)' has no samples")
    }
    var generator = SeededGenerator(seed: description.training.seed ^ 0x5EED_5EED)
    let split: DatasetSplit
    do {
      split = try Preprocessing.split(
        dataset, validation: description.split.validation, test: description.split.test,
        stratify: description.split.stratify && dataset.isClassification,
        shuffle: description.split.shuffle, generator: &generator)
    } catch var error as InputError where description.sourcePath != nil {
      // The split statement asked for it: point there (the library names the data set instead,
      // which for a generator such as `sine` is no file at all).
      error.message = "data set '\(dataset.name)': " + error.message
      error.file = description.sourcePath
      error.line = description.statementLines["split"]
      throw error
    }
    // Fixed division first (x / d), then the fitted scaling ((x/d − m) / s), folded into one scaler:
    // (x − m·d) / (s·d), so predict applies exactly the same transform.
    let divisor = description.preprocessing.divide
    let fitted = Scaler.fit(
      Self.kind(description.preprocessing.features),
      to: divisor == 1 ? split.train.features : Self.divided(split.train.features, by: divisor))
    featureScaler = Scaler(
      kind: fitted.kind, offset: fitted.offset.map { $0 * divisor },
      scale: fitted.scale.map { $0 * divisor })
    let scalesTargets = !dataset.isClassification && description.preprocessing.targets != .none
    targetScaler =
      scalesTargets
      ? Scaler.fit(Self.kind(description.preprocessing.targets), to: split.train.targets) : nil
    let (features, targets) = (featureScaler, targetScaler)
    func scaled(_ part: Dataset) -> Dataset {
      var result = part
      result.features = features.transform(part.features)
      if let targets { result.targets = targets.transform(part.targets) }
      return result
    }
    train = scaled(split.train)
    validation = scaled(split.validation)
    test = scaled(split.test)
  }

  static func divided(_ matrix: Matrix<Double>, by divisor: Double) -> Matrix<Double> {
    let result = matrix.copy()
    for i in 0..<result.count { result.base[i] /= divisor }
    return result
  }

  static func kind(_ scaling: Scaling) -> Scaler.Kind {
    switch scaling {
    case .none: .none
    case .standardize: .standardize
    case .minmax: .minmax
    }
  }
}
