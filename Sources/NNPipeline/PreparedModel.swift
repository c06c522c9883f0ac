import NNDatasets
import NNLayers
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
  /// The loss reference actually used (the task's default when the file has none).
  public var lossReference: ComponentReference
  public var optimizer: any Optimizer
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
  /// - Throws: `InputError` naming the model file when the pieces do not fit together: the last layer's
  ///   size against the data, a loss that expects logits after a softmax (or probabilities after an
  ///   unbounded output), an untrainable activation in a network that is to be trained.
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

    let isClassifier = classNames != nil
    let defaultLoss = isClassifier ? (size == 1 ? "binary_cross_entropy" : "cross_entropy") : "mse"
    let lossChoice = try description.loss ?? registry.reference(.loss, defaultLoss)
    let optimizerChoice = try description.optimizer ?? registry.reference(.optimizer, "sgd")
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
            + (classNames.count == 2 ? " (or 1 with a sigmoid output)" : ""))
      }
    } else if size != targetCount {
      throw description.error(
        at: lastLayer,
        "the last layer gives \(size) output\(size == 1 ? "" : "s") but the data has "
          + "\(targetCount) target column\(targetCount == 1 ? "" : "s"); expected units=\(targetCount)"
      )
    }

    // The loss must suit what the last layer produces.
    let last = builders.last
    let producesProbabilities =
      last is SoftmaxBuilder || last?.outputActivation?.name == "sigmoid"
    let lastName = last is SoftmaxBuilder ? "softmax" : (last?.outputActivation?.name ?? "identity")
    switch loss.expectedOutput {
    case .logits where producesProbabilities:
      throw description.error(
        at: description.loss == nil ? lastLayer : "loss",
        "loss '\(loss.name)' applies \(loss.name == "cross_entropy" ? "softmax" : "the sigmoid") itself "
          + "and expects raw scores (logits), but the last layer outputs \(lastName) probabilities",
        hint: loss.name == "cross_entropy"
          ? "remove the softmax layer (recommended, it is more stable) or use `loss nll`"
          : "use `activation=identity` on the last layer, or `loss binary_cross_entropy`")
    case .probabilities where !producesProbabilities:
      throw description.error(
        at: description.loss == nil ? lastLayer : "loss",
        "loss '\(loss.name)' expects probabilities, but the last layer outputs unbounded values "
          + "(\(lastName))",
        hint: loss.name == "nll"
          ? "use `loss cross_entropy`, which applies softmax itself" : "use `loss bce_with_logits`")
    case .values where last is SoftmaxBuilder:
      throw description.error(
        at: description.loss == nil ? lastLayer : "loss",
        "loss '\(loss.name)' is a regression loss, but the last layer is a softmax",
        hint: "for classification use `loss nll` after a softmax, or drop the softmax and use "
          + "`loss cross_entropy`")
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

extension PreparedData {
  /// Loads, splits and scales the data of `description`.
  public init(_ description: ModelDescription, registry: ComponentRegistry) throws {
    let context = DatasetContext(
      baseDirectory: description.baseDirectory, seed: description.training.seed)
    dataset = try registry.makeDataset(description.data, context: context)
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
