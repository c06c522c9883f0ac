import Foundation
import NNDatasets
import NNLayers
import NNProtocols

/// A trained model loaded from a checkpoint: everything `predict` and `evaluate` need, nothing else.
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
  /// Runs raw (unscaled) features through the scaler and the network; outputs in target units.
  public var predict: (Matrix<Double>) -> Matrix<Double>
  /// The loss of raw outputs against class-index or value targets (scaled as in training).
  public var lossValue: (Matrix<Double>, Matrix<Double>) -> Double

  /// Loads the checkpoint at `path`.
  ///
  /// - Throws: `InputError` naming the file: not a checkpoint, a component the registry lacks (a
  ///   custom activation the program that wrote it had registered), tensors that do not fit.
  public init(checkpointAt path: String, registry: ComponentRegistry) throws {
    let checkpoint = try Checkpoint.read(from: path)
    let metadata = checkpoint.metadata
    let missing = metadata.components.filter { entry in
      let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, let kind = ComponentKind(rawValue: parts[0]) else { return false }
      return !registry.names(of: kind).contains(parts[1])
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
      (predict, lossValue) = try Self.load(
        checkpoint, model: model, scaler: featureScaler, target: targetScaler, as: Float.self)
    case .double:
      (predict, lossValue) = try Self.load(
        checkpoint, model: model, scaler: featureScaler, target: targetScaler, as: Double.self)
    }
  }

  /// How many more parameters than its tensors hold a checkpoint's model may have before the
  /// network is built (a missing small tensor is then named precisely by `Checkpoint.load`).
  static let parameterSlack = 1 << 20

  private static func load<S: NNScalar>(
    _ checkpoint: Checkpoint, model: PreparedModel, scaler: Scaler, target: Scaler?, as type: S.Type
  ) throws -> ((Matrix<Double>) -> Matrix<Double>, (Matrix<Double>, Matrix<Double>) -> Double) {
    var generator = SeededGenerator(seed: 0)
    let network = try Network<S>(
      builders: model.builders, inputSize: model.inputSize, generator: &generator)
    try checkpoint.load(into: network.parameters)
    let loss = model.loss
    let predict = { (features: Matrix<Double>) -> Matrix<Double> in
      let outputs = network.predict(scaler.transform(features).converted(to: S.self))
      let result = outputs.converted(to: Double.self)
      return target?.inverseTransform(result) ?? result
    }
    let lossValue = { (outputs: Matrix<Double>, targets: Matrix<Double>) -> Double in
      let scaledOutputs = target?.transform(outputs) ?? outputs
      let scaledTargets = model.lossTargets(target?.transform(targets) ?? targets)
      return loss.value(
        predictions: scaledOutputs.converted(to: S.self),
        targets: scaledTargets.converted(to: S.self))
    }
    return (predict, lossValue)
  }

  /// Reads the features of a CSV file for this model: by the training feature names when the file has
  /// a header naming them all, else every column in order (their count must match).
  public func readFeatures(csv path: String) throws -> Matrix<Double> {
    if try headerNamesEveryFeature(csv: path) {
      let selected = try CSVReader(
        header: .present, features: featureNames.map { .name($0) }, targets: []
      ).read(path: path)
      return selected.features
    }
    let all = try CSVReader(header: .auto, targets: []).read(path: path)
    guard all.inputSize == featureScaler.columns else {
      throw InputError(
        file: path,
        "the file has \(all.inputSize) feature column\(all.inputSize == 1 ? "" : "s") but the model "
          + "takes \(featureScaler.columns) (\(featureNames.prefix(8).joined(separator: ", "))"
          + "\(featureNames.count > 8 ? ", …" : ""))")
    }
    return all.features
  }

  /// Whether the first line of the CSV file names every training feature (so columns are chosen by
  /// name, in any order, and other columns such as the target are ignored).
  private func headerNamesEveryFeature(csv path: String) throws -> Bool {
    let bytes = try DataFile.read(path)
    let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let line = String(decoding: bytes[..<end], as: UTF8.self)
    let cells = Set(
      line.split(separator: ",").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"\r\u{FEFF}"))
      })
    return !featureNames.isEmpty && featureNames.allSatisfy(cells.contains)
  }
}
