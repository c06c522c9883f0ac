import Foundation
import NNCheckpoints
import NNDatasets
import NNKernels
import NNLayers
import NNModelLanguage
import NNOptimizers
import NNPlots
import NNProtocols
import NNTraining

/// How `ModelRunner.run` behaves beyond what the model file says.
public struct RunOptions {
  /// Start from the weights of this safetensors file (fine-tuning); overrides the file's `weights`.
  public var initFrom: String?
  /// Continue the run saved in this checkpoint exactly (weights, optimizer state, epoch, generators,
  /// early stopping, history). The description must be the checkpoint's model but for the epoch
  /// budget, the threads, the training step and the outputs (`ModelRunner.checkResume`).
  public var resume: String?
  /// On resume, accept training settings (optimizer, batch, data, …) that differ from the
  /// checkpoint's model; the network and the precision never may.
  public var allowChanges = false
  /// Where to save the trained model, or `nil` not to save.
  public var checkpointPath: String?
  /// The flag that set `checkpointPath` (`--output`), for messages; `nil` when the model file (or
  /// its default) set it.
  public var checkpointSetting: String?
  /// Replace existing files of another kind than the output's (`--force`); see `OutputGuard`.
  public var force = false
  /// The threads the run's large products and sharded steps use (`--threads`), unless the model's
  /// `train threads=` sets them; `nil`: `Kernels.threadCount`. The run sets the count only for its
  /// own thread and restores it when it returns (`Kernels.withThreadCount`).
  public var threads: Int?
  /// Called with every epoch's record (progress display).
  public var onEpoch: (EpochRecord) -> Void = { _ in }
  /// Checked after every training step; `true` stops after that step (an interruption).
  public var shouldStop: () -> Bool = { false }
  /// Called once the data is loaded and the components are built, before training.
  public var onPrepared: (PreparedData, PreparedModel) -> Void = { _, _ in }
  /// The training step to take (`--step`), in place of the model's `train step=`; `nil`: the
  /// model's.
  public var step: StepChoice?

  public init(initFrom: String? = nil, resume: String? = nil, checkpointPath: String? = nil) {
    self.initFrom = initFrom
    self.resume = resume
    self.checkpointPath = checkpointPath
  }
}

/// What a run did and where its outputs went.
public struct RunReport {
  /// Epochs run in this invocation, and completed in total (counting a resumed run's earlier ones).
  public var epochsRun: Int
  public var epochsCompleted: Int
  public var epochBudget: Int
  public var stopReason: StopReason
  /// The epoch whose weights early stopping restored, if any.
  public var restoredEpoch: Int?
  /// Seconds spent training, and training samples per second.
  public var trainSeconds: Double
  public var samplesPerSecond: Double
  /// Metrics on each part with the final weights (`nil` for an empty part), by
  /// `PreparedModel.metrics`: the loss the model optimizes, on targets scaled as in training; mse, mae
  /// and r2 in the data's own units.
  public var train: Metrics
  public var validation: Metrics?
  public var test: Metrics?
  /// The per-epoch records of this invocation.
  public var history: [EpochRecord]
  /// The checkpoint written, if any.
  public var checkpoint: String?
  /// Every other file written (plots, predictions).
  public var outputs: [String]
  /// Class names of a classifier.
  public var classNames: [String]?
  /// The epoch the run started from (0, or a resumed run's).
  public var startEpoch: Int
  /// The canonical name of the loss the model optimizes (the `loss` of the metrics).
  public var lossName: String = ""
  /// The scaling of the regression targets the loss sees (`standardize`, `minmax`), or `nil`.
  public var targetScaling: String?
  /// How the outputs are read as classes (`nil` for a regression).
  public var outputReading: OutputReading?
}

/// Runs a model description end to end: data, network, training, evaluation, outputs.
public struct ModelRunner {
  public var registry: ComponentRegistry

  /// A runner looking components up in `registry`; default the standard one.
  public init(registry: ComponentRegistry = .standard()) {
    self.registry = registry
  }

  /// Prepares the data and the components of `description` (no weights yet).
  ///
  /// A generated data set too large for this machine is refused (`checkDataMemory`) before it is
  /// generated; targets the loss cannot use and unmet optimizer requirements are refused next
  /// (`PreparedModel.checkTrainingSetup`); `run` then checks the whole model (`checkMemory`) before
  /// allocating the network.
  public func prepare(_ description: ModelDescription) throws -> (PreparedData, PreparedModel) {
    try checkDataMemory(description, registry: registry)
    let data = try PreparedData(description, registry: registry)
    let model = try PreparedModel(
      description, registry: registry, inputSize: data.dataset.inputSize,
      classNames: data.dataset.classNames, targetCount: data.dataset.targets.cols)
    try model.checkTrainingSetup(data, registry: registry)
    return (data, model)
  }

  /// Trains and evaluates `description` and writes its outputs.
  ///
  /// - Throws: `InputError` for bad input (found before any file is written), `DivergenceError` when
  ///   training diverges (no checkpoint is written then), or a file-writing error.
  public func run(_ description: ModelDescription, options: RunOptions) throws -> RunReport {
    // Every output path is checked before any work, the predictions' header once the data is known.
    let outputGuard = OutputGuard(run: description, options: options, registry: registry)
    try outputGuard.check()
    if let path = options.resume {
      try checkResume(of: description, fromCheckpointAt: path, allowChanges: options.allowChanges)
    }
    let (data, model) = try prepare(description)
    try outputGuard.checkPredictions(
      header: predictionsCSV(
        Matrix(rows: 0, cols: model.outputSize), classNames: model.classNames,
        targetNames: data.dataset.targetNames, reading: model.outputReading))
    // Refuse a network too large for this machine before allocating any of it.
    try checkMemory(
      model, batchSize: description.training.batchSize, samples: data.train.count,
      precision: description.training.precision)
    options.onPrepared(data, model)
    let training = description.training
    return try Kernels.withThreadCount(training.threads > 0 ? training.threads : options.threads) {
      let threads = Kernels.threadCount
      switch training.precision {
      case .float:
        return try Session<Float>(runner: self, data: data, model: model, threads: threads).run(
          options)
      case .double:
        return try Session<Double>(runner: self, data: data, model: model, threads: threads).run(
          options)
      }
    }
  }
}

/// One run in the precision `S`.
struct Session<S: NNScalar> {
  let runner: ModelRunner
  let data: PreparedData
  let model: PreparedModel
  /// The threads of the run (`RunOptions.threads` or `train threads=`), in force while it runs.
  var threads = Kernels.threadCount
  var description: ModelDescription { model.description }

  /// The samples of `part` in `S`, targets in the form the loss expects.
  func labeled(_ part: Dataset) -> LabeledData<S> {
    let targets = model.lossTargets(part.targets)
    return LabeledData(
      features: part.features.converted(to: S.self), targets: targets.converted(to: S.self),
      classCount: model.classNames?.count,
      classLabels: model.classNames == nil
        ? nil : (0..<part.targets.rows).map { Int(part.targets[$0, 0]) },
      reading: model.outputReading)
  }

  /// The metrics of `network` on `part` (`PreparedModel.metrics`, as `evaluate` computes them).
  func metrics(_ network: Network<S>, on part: Dataset) -> Metrics {
    model.metrics(
      outputs: network.predict(part.features.converted(to: S.self)), targets: part.targets,
      targetScaler: data.targetScaler)
  }

  /// A network after `train`: the trainer (and its network and updater) and how training went.
  struct Trained {
    var trainer: Trainer<S>
    var updater: ParameterUpdater<S>
    var outcome: TrainingOutcome
    var resumePoint: ResumePoint?
    var network: Network<S> { trainer.network }
  }

  func run(_ options: RunOptions) throws -> RunReport {
    let trained = try train(options)
    let (network, outcome, resumePoint) = (trained.network, trained.outcome, trained.resumePoint)
    let validation = data.validation.count > 0
    var report = RunReport(
      epochsRun: outcome.history.count, epochsCompleted: outcome.epochsCompleted,
      epochBudget: description.training.epochs, stopReason: outcome.stopReason,
      restoredEpoch: outcome.restoredEpoch, trainSeconds: outcome.seconds,
      samplesPerSecond: outcome.seconds > 0
        ? Double(outcome.samplesProcessed) / outcome.seconds : 0,
      train: metrics(network, on: data.train),
      validation: validation ? metrics(network, on: data.validation) : nil,
      test: data.test.count > 0 ? metrics(network, on: data.test) : nil,
      history: outcome.history, checkpoint: nil, outputs: [], classNames: model.classNames,
      startEpoch: resumePoint?.epoch ?? 0)
    report.lossName = model.loss.name
    report.targetScaling = data.targetScaler.map { _ in description.preprocessing.targets.rawValue }
    report.outputReading = model.outputReading

    if let path = options.checkpointPath {
      try checkpoint(of: trained).write(to: path, replacingAnyFile: options.force)
      report.checkpoint = path
    }
    report.outputs = try writeOutputs(
      network: network, history: outcome.history, wholeRun: outcome.resumePoint.history)
    return report
  }

  /// The checkpoint of a trained network: its parameters, the optimizer state, the history, early
  /// stopping's best parameters and the metadata (`metadata(outcome:)`).
  func checkpoint(of trained: Trained) -> Checkpoint {
    let network = trained.network
    var checkpoint = Checkpoint(
      parameters: network.parameters, optimizer: model.optimizer,
      optimizerState: trained.updater.state, metadata: metadata(outcome: trained.outcome))
    checkpoint.setTrainingHistory(trained.outcome.resumePoint.history)
    if !trained.trainer.bestParameters.isEmpty {
      checkpoint.setBestParameters(trained.trainer.bestParameters, of: network.parameters)
    }
    return checkpoint
  }

  /// Builds the network (from the checkpoint `options.resume` names, or initial weights, or the
  /// seed) and trains it on the training part; writes nothing.
  func train(_ options: RunOptions) throws -> Trained {
    let training = description.training
    var generator = SeededGenerator(seed: training.seed)
    let network = try Network<S>(
      builders: model.builders, inputSize: model.inputSize, generator: &generator)
    let updater = ParameterUpdater<S>(
      optimizer: model.optimizer, schedule: model.schedule, weightDecay: training.weightDecay,
      clipNorm: training.clipNorm)

    var resumePoint: ResumePoint?
    var bestParameters: [Matrix<S>]?
    if let path = options.resume {
      let checkpoint = try Checkpoint.read(from: path)
      try checkpoint.load(into: network.parameters)
      try checkpoint.loadOptimizerState(
        into: updater.state, parameters: network.parameters, optimizer: model.optimizer)
      resumePoint = try checkpoint.resumePoint(
        network: network, trainingSamples: data.train.count, training: training,
        earlyStopping: description.earlyStopping)
      bestParameters = try checkpoint.bestParameters(for: network.parameters)
    } else if let path = options.initFrom ?? description.initialWeights {
      try Checkpoint.loadWeights(from: path, into: network.parameters)
    }

    let trainer: Trainer<S>
    do {
      trainer = try Trainer(
        network: network, loss: model.loss, updater: updater, generator: generator,
        step: (options.step ?? training.step).kind, threads: threads)
    } catch {
      throw error.inputError(description, setting: options.step != nil ? "--step" : nil)
    }
    if let bestParameters { trainer.resumeBestParameters(bestParameters) }
    let train = labeled(data.train)
    let validation = data.validation.count > 0 ? labeled(data.validation) : nil
    let plan = TrainingPlan(
      epochs: training.epochs, batchSize: training.batchSize, shuffle: training.shuffle,
      earlyStopping: description.earlyStopping.map(EarlyStoppingRule.init),
      recordGradientNorms: description.outputs.plotGradients != nil)
    let outcome = try trainer.fit(
      train, validation: validation, plan: plan, resumeFrom: resumePoint,
      shouldStop: options.shouldStop, onEpoch: options.onEpoch)
    return Trained(trainer: trainer, updater: updater, outcome: outcome, resumePoint: resumePoint)
  }

  /// The checkpoint metadata after `outcome`: everything but the tensors (parameters, optimizer
  /// state, history, best parameters), including where the run stands (`ResumePoint`).
  func metadata(outcome: TrainingOutcome) -> CheckpointMetadata {
    let resume = outcome.resumePoint
    return CheckpointMetadata(
      nnpipeVersion: nnpipeVersion,
      model: ModelPrinter(registry: runner.registry).resolvedText(description),
      preprocessing: preprocessingJSON(features: data.featureScaler, targets: data.targetScaler),
      classNames: model.classNames, featureNames: data.dataset.featureNames,
      epoch: resume.epoch, optimizerStep: 0, generatorState: resume.epochStartGenerator,
      precision: S.self == Float.self ? .float : .double,
      components: componentNames(description), resumeBatch: resume.batch,
      resumeLossSum: resume.partialLossSum, layerGeneratorStates: resume.layerGenerators,
      earlyStopping: description.earlyStopping == nil ? nil : resume.earlyStopping)
  }

  /// Writes the plots and predictions the `output` statement asks for; returns their paths.
  ///
  /// `history` holds this invocation's epochs (gradient norms); `wholeRun` the loss of every epoch
  /// of the run, across resumes, which the loss plot draws.
  func writeOutputs(
    network: Network<S>, history: [EpochRecord], wholeRun: TrainingHistory
  ) throws -> [String] {
    let outputs = description.outputs
    var written: [String] = []
    func write(_ text: String, to path: String?) throws {
      guard let path else { return }
      try AtomicFile.write(Array(text.utf8), to: path)
      written.append(path)
    }
    /// Raw inputs → the network's outputs in target units.
    func predict(_ raw: Matrix<Double>) -> Matrix<Double> {
      let result = network.predict(data.featureScaler.transform(raw).converted(to: S.self))
        .converted(to: Double.self)
      return data.targetScaler?.inverseTransform(result) ?? result
    }
    if let path = outputs.predictions {
      let csv = predictionsCSV(
        predict(data.dataset.features), classNames: model.classNames,
        targetNames: data.dataset.targetNames, reading: model.outputReading)
      try write(csv, to: path)
    }
    if outputs.plotLoss != nil {
      let validation = wholeRun.validationLoss
      let chart = SVGPlot.lossChart(
        trainingLoss: wholeRun.loss.perEpochValues,
        validationLoss: validation?.epochs == wholeRun.loss.epochs
          ? validation?.perEpochValues : nil,
        title: "Loss per epoch — \(data.dataset.name)", yLabel: "loss (\(model.lossReference.name))"
      )
      try write(chart, to: outputs.plotLoss)
    }
    if outputs.plotFit != nil {
      let xs = (0..<data.dataset.count).map { data.dataset.features[$0, 0] }
      let low = xs.min() ?? 0
      let high = xs.max() ?? 1
      let grid = (0..<400).map { low + (high - low) * Double($0) / 399 }
      let curve = predict(Matrix(rows: grid.count, cols: 1, scalars: grid))
      let chart = SVGPlot.fitChart(
        title: "Fit of \(data.dataset.targetNames.first ?? "y") — \(data.dataset.name)",
        xLabel: data.dataset.featureNames.first ?? "x",
        yLabel: data.dataset.targetNames.first ?? "y", inputs: xs,
        targets: (0..<data.dataset.count).map { data.dataset.targets[$0, 0] },
        predictionInputs: grid, predictions: curve.scalars)
      try write(chart, to: outputs.plotFit)
    }
    if outputs.plotRegions != nil, let classNames = model.classNames {
      try write(regionsChart(predict: predict, classNames: classNames), to: outputs.plotRegions)
    }
    if outputs.plotGradients != nil {
      let paths = network.gradientNorms().map(\.path)
      let layers = paths.enumerated().map { index, path in
        (
          name: path,
          norms: history.map {
            $0.gradientNorms.indices.contains(index) ? $0.gradientNorms[index] : .nan
          }
        )
      }
      try write(SVGPlot.gradientNormChart(layers: layers), to: outputs.plotGradients)
    }
    return written
  }

  /// The decision regions of a two-input classifier over the data's range (plus a 10 % margin).
  func regionsChart(predict: (Matrix<Double>) -> Matrix<Double>, classNames: [String]) -> String {
    let reading =
      model.outputReading
      ?? OutputReading(classCount: classNames.count, outputCount: model.outputSize)
    let features = data.dataset.features
    func range(_ column: Int) -> ClosedRange<Double> {
      let values = (0..<features.rows).map { features[$0, column] }
      let low = values.min() ?? 0
      let high = values.max() ?? 1
      let margin = max((high - low) * 0.1, 1e-3)
      return (low - margin)...(high + margin)
    }
    let (xRange, yRange) = (range(0), range(1))
    let cells = 120
    let grid = Matrix<Double>(rows: cells * cells, cols: 2)
    for row in 0..<cells {
      for col in 0..<cells {
        let x =
          xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * (Double(col) + 0.5)
          / Double(cells)
        let y =
          yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * (Double(row) + 0.5)
          / Double(cells)
        grid[row * cells + col, 0] = x
        grid[row * cells + col, 1] = y
      }
    }
    let classes = reading.predictedClasses(predict(grid))
    let rows = (0..<cells).map { row in Array(classes[(row * cells)..<((row + 1) * cells)]) }
    let points = (0..<features.rows).map {
      (x: features[$0, 0], y: features[$0, 1], label: Int(data.dataset.targets[$0, 0]))
    }
    return SVGPlot.decisionRegions(
      title: "Decision regions — \(data.dataset.name)", xLabel: data.dataset.featureNames[0],
      yLabel: data.dataset.featureNames[1], xRange: xRange, yRange: yRange, grid: rows,
      points: points, classNames: classNames)
  }
}

/// `"kind:name"` for every component a description uses, nested ones included.
func componentNames(_ description: ModelDescription) -> [String] {
  var names: [String] = []
  func visit(_ reference: ComponentReference) {
    let entry = "\(reference.kind.rawValue):\(reference.name)"
    if !names.contains(entry) { names.append(entry) }
    for key in reference.options.order {
      if case .component(let nested)? = reference.options[key] { visit(nested) }
    }
  }
  visit(description.data)
  description.layers.forEach(visit)
  [description.loss, description.optimizer, description.schedule].compactMap { $0 }.forEach(visit)
  return names
}

/// The preprocessing statistics as the checkpoint stores them:
/// `{"features": {…}, "targets": {…} or null}`.
public func preprocessingJSON(features: Scaler, targets: Scaler?) -> String {
  "{\"features\": \(features.jsonText), \"targets\": \(targets?.jsonText ?? "null")}"
}

/// Reads back `preprocessingJSON`.
public func preprocessingScalers(from json: String, file: String) throws -> (Scaler, Scaler?) {
  guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
    let features = object["features"], !(features is NSNull)
  else {
    throw InputError(file: file, "metadata 'preprocessing' is not the expected JSON object")
  }
  func text(_ value: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: value)
    return String(decoding: data, as: UTF8.self)
  }
  let featureScaler = try Scaler(jsonText: text(features), source: file)
  var targetScaler: Scaler?
  if let targets = object["targets"], !(targets is NSNull) {
    targetScaler = try Scaler(jsonText: text(targets), source: file)
  }
  return (featureScaler, targetScaler)
}

/// Predictions as CSV.
///
/// For a classifier (`classNames` and `reading` given): the predicted label (the argmax, as the
/// metrics read it) and one column per class, `p_<class>` when the reading gives probabilities (each
/// row in [0, 1], summing to 1), else `score_<class>` with the raw outputs (a single output's one
/// score is named after the second class). For a regression, or with `raw` (the network's outputs as
/// they are, no label): one column per output, named by `targetNames`.
public func predictionsCSV(
  _ outputs: Matrix<Double>, classNames: [String]?, targetNames: [String],
  reading: OutputReading?, raw: Bool = false
) -> String {
  var lines: [String] = []
  if let classNames, let reading, !raw {
    let columns =
      reading.givesProbabilities || outputs.cols > 1
      ? classNames : [classNames[min(1, classNames.count - 1)]]
    lines.append((["label"] + columns.map { reading.columnPrefix + $0 }).joined(separator: ","))
    for row in 0..<outputs.rows {
      let values = (0..<outputs.cols).map { outputs[row, $0] }
      let label = classNames[min(reading.predictedClass(values), classNames.count - 1)]
      lines.append(([label] + reading.values(of: values).map { "\($0)" }).joined(separator: ","))
    }
  } else {
    lines.append(targetNames.joined(separator: ","))
    for row in 0..<outputs.rows {
      lines.append((0..<outputs.cols).map { "\(outputs[row, $0])" }.joined(separator: ","))
    }
  }
  return lines.joined(separator: "\n") + "\n"
}
