import Foundation
import NNCheckpoints
import NNDatasets
import NNLayers
import NNModelLanguage
import NNProtocols
import NNTraining

/// A trained model: everything `predict` and `evaluate` need, and the checkpoint that saves it.
///
/// Loaded from a checkpoint file (`init(checkpointAt:registry:)`, what `nnpipe predict` does), or
/// trained in code (`ModelRunner.train(_:on:)`); `save(to:)` writes the checkpoint either way.
public struct TrainedModel {
  /// The description stored in the checkpoint.
  public var description: ModelDescription
  public var classNames: [String]?
  public var featureNames: [String]
  public var featureScaler: Scaler
  public var targetScaler: Scaler?
  /// Network outputs per sample.
  public var outputSize: Int
  /// The loss the model was trained with.
  public var loss: any Loss
  /// The model's components as the run prepared them (loss, layers, class names).
  public var prepared: PreparedModel
  /// Runs raw (unscaled) features through the scaler and the network; outputs in target units.
  public var predict: (Matrix<Double>) -> Matrix<Double>
  /// The metrics (`PreparedModel.metrics`, the same as `run`'s) of the network on features and
  /// targets in the model's units: features scaled, targets class indices or scaled values.
  public var scaledMetrics: (Matrix<Double>, Matrix<Double>) -> Metrics
  /// The checkpoint: the one read, or for a model trained in code its parameters, optimizer state,
  /// history and metadata (model text, preprocessing, class and feature names, precision) as
  /// `nnpipe run` writes them.
  public var checkpoint: Checkpoint
  /// How training went, for a model trained in code; `nil` for one loaded from a file (its history
  /// is `checkpoint.trainingHistory()`).
  public var trainingOutcome: TrainingOutcome?

  /// Writes the checkpoint to `path`, atomically; `nnpipe predict` and `nnpipe evaluate` read it.
  ///
  /// - Parameter replacingAnyFile: allow replacing a file that is not an nnpipe checkpoint; default
  ///   `false`, so that a data file named by mistake is never destroyed.
  /// - Throws: `InputError` if `path` holds something other than an nnpipe checkpoint; a
  ///   file-writing error.
  public func save(to path: String, replacingAnyFile: Bool = false) throws {
    try checkpoint.write(to: path, replacingAnyFile: replacingAnyFile)
  }

  /// How the outputs are read as classes: probabilities or scores, and the predicted class
  /// (`nil` for a regression).
  public var outputReading: OutputReading? { prepared.outputReading }

  /// The metrics of the network on raw (unscaled) features and targets: class indices in the
  /// model's class order, or values in the data's units.
  public func metrics(features: Matrix<Double>, targets: Matrix<Double>) -> Metrics {
    scaledMetrics(featureScaler.transform(features), targetScaler?.transform(targets) ?? targets)
  }

  /// Loads the checkpoint at `path`.
  ///
  /// - Throws: `InputError` naming the file: not a checkpoint, a component the registry lacks (a
  ///   custom activation the program that wrote it had registered), tensors that do not fit.
  public init(checkpointAt path: String, registry: ComponentRegistry) throws {
    let checkpoint = try Checkpoint.read(from: path)
    self.checkpoint = checkpoint
    trainingOutcome = nil
    let metadata = checkpoint.metadata
    let missing = metadata.components.filter { entry in
      let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, let kind = ComponentKind(rawValue: parts[0]) else { return false }
      return registry.canonicalName(parts[1], of: kind) == nil
    }
    guard missing.isEmpty else {
      throw InputError(
        file: path,
        "the checkpoint needs components this program does not have: "
          + missing.joined(separator: ", "),
        hint:
          "run it with the program that registers them (see Documentation/ExtendingActivations.md)")
    }
    let folder = (path as NSString).deletingLastPathComponent
    do {
      description = try ModelParser(registry: registry).parse(
        metadata.model, path: "\(path) (model)", baseDirectory: folder.isEmpty ? "." : folder)
    } catch {
      throw InputError(
        file: path, "the model description stored in the checkpoint does not parse: \(error)")
    }
    classNames = metadata.classNames
    featureNames = metadata.featureNames
    (featureScaler, targetScaler) = try preprocessingScalers(
      from: metadata.preprocessing, file: path)
    let inputSize = featureScaler.columns
    var probe = description
    probe.training.epochs = 0
    let layerBuilders = try description.layers.map { try registry.makeLayer($0) }
    outputSize = layerBuilders.reduce(inputSize) { $1.outputSize(inputSize: $0) }
    let model = try PreparedModel(
      probe, registry: registry, inputSize: inputSize, classNames: classNames,
      targetCount: outputSize)
    loss = model.loss
    prepared = model
    // The network is allocated before its tensors are checked one by one: first make sure the stored
    // model text does not ask for (much) more than the tensors hold, so that a damaged or hostile
    // checkpoint cannot make `predict` allocate gigabytes from a few bytes of text.
    let stored = checkpoint.tensors.reduce(0) { total, entry in
      Checkpoint.isReserved(entry.key) ? total : total + entry.value.elementCount
    }
    guard model.parameterCount <= stored + Self.parameterSlack else {
      throw InputError(
        file: path,
        "the model stored in the checkpoint has \(model.parameterCount) parameters, but its tensors"
          + " hold \(stored) values; the checkpoint is damaged",
        hint: "the model text and the tensors of a checkpoint are written together; was it edited?")
    }
    switch metadata.precision {
    case .float:
      (predict, scaledMetrics) = try Self.load(
        checkpoint, model: model, scaler: featureScaler, target: targetScaler, as: Float.self)
    case .double:
      (predict, scaledMetrics) = try Self.load(
        checkpoint, model: model, scaler: featureScaler, target: targetScaler, as: Double.self)
    }
  }

  /// How many more parameters than its tensors hold a checkpoint's model may have before the
  /// network is built (a missing small tensor is then named precisely by `Checkpoint.load`).
  static let parameterSlack = 1 << 20

  private static func load<S: NNScalar>(
    _ checkpoint: Checkpoint, model: PreparedModel, scaler: Scaler, target: Scaler?, as type: S.Type
  ) throws -> ((Matrix<Double>) -> Matrix<Double>, (Matrix<Double>, Matrix<Double>) -> Metrics) {
    var generator = SeededGenerator(seed: 0)
    let network = try Network<S>(
      builders: model.builders, inputSize: model.inputSize, generator: &generator)
    try checkpoint.load(into: network.parameters)
    let predict = { (features: Matrix<Double>) -> Matrix<Double> in
      let outputs = network.predict(scaler.transform(features).converted(to: S.self))
      let result = outputs.converted(to: Double.self)
      return target?.inverseTransform(result) ?? result
    }
    let metrics = { (features: Matrix<Double>, targets: Matrix<Double>) -> Metrics in
      model.metrics(
        outputs: network.predict(features.converted(to: S.self)), targets: targets,
        targetScaler: target)
    }
    return (predict, metrics)
  }

  /// The bytes of the CSV input `path` names: `-` is standard input (named `<stdin>` in errors);
  /// pipes and FIFOs are read like files (see `DataFile.read`). Read once: a pipe cannot be read twice.
  public static func readInput(_ path: String) throws -> (bytes: [UInt8], file: String) {
    if path == "-" { return (try DataFile.readStandardInput(), DataFile.standardInputName) }
    return (try DataFile.read(path), path)
  }

  /// Reads the features of a CSV file (`-`: standard input) for this model: by the training feature
  /// names when the file has a header naming them all, else every column in order (their count must
  /// match). The input is read once.
  public func readFeatures(csv path: String) throws -> Matrix<Double> {
    let input = try Self.readInput(path)
    return try readFeatures(csvBytes: input.bytes, file: input.file)
  }

  /// Reads the features of CSV text held in memory (see `readFeatures(csv:)`); `file` names it in
  /// errors.
  public func readFeatures(csvBytes bytes: [UInt8], file path: String) throws -> Matrix<Double> {
    if headerNamesEveryFeature(bytes) {
      let selected = try CSVReader(
        header: .present, features: featureNames.map { .name($0) }, targets: []
      ).read(bytes: bytes, file: path)
      return selected.features
    }
    let all = try CSVReader(header: .auto, targets: []).read(bytes: bytes, file: path)
    guard all.inputSize == featureScaler.columns else {
      throw InputError(
        file: path,
        "the file has \(all.inputSize) feature column\(all.inputSize == 1 ? "" : "s") but the model "
          + "takes \(featureScaler.columns) (\(featureNames.prefix(8).joined(separator: ", "))"
          + "\(featureNames.count > 8 ? ", …" : ""))")
    }
    return all.features
  }

  /// Whether the first line of the CSV text names every training feature (so columns are chosen by
  /// name, in any order, and other columns such as the target are ignored).
  private func headerNamesEveryFeature(_ bytes: [UInt8]) -> Bool {
    let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let line = String(decoding: bytes[..<end], as: UTF8.self)
    let cells = Set(
      line.split(separator: ",").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"\r\u{FEFF}"))
      })
    return !featureNames.isEmpty && featureNames.allSatisfy(cells.contains)
  }
}
