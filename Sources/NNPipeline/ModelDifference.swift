import NNCheckpoints
import NNModelLanguage
import NNProtocols

/// One way the model file given to resume a run differs from the model its checkpoint was trained
/// with (the checkpoint's resolved `model` text): `layer 0 activation: checkpoint sigmoid, model file
/// tanh`.
///
/// The network (its layers) and the precision identify the saved tensors and can never change on
/// resume; every other training setting (data, split, preprocessing, loss, optimizer, schedule, batch,
/// seed, …) changes only when the user says so (`RunOptions.allowChanges`, `--allow-changes`). The
/// epoch budget, the thread count, the initial weights and the outputs are not compared: a resumed
/// run may have a new budget and write elsewhere.
public struct ModelDifference: Sendable, Equatable, CustomStringConvertible {
  /// What differs: `layer 0 activation`, `train batch`, `precision`.
  public var place: String
  /// Its value in the checkpoint's model.
  public var checkpoint: String
  /// Its value in the model file.
  public var modelFile: String
  /// Whether the difference may be accepted (a training setting, with `--allow-changes`); `false`
  /// for the network and the precision.
  public var isChangeable: Bool

  public init(place: String, checkpoint: String, modelFile: String, isChangeable: Bool) {
    self.place = place
    self.checkpoint = checkpoint
    self.modelFile = modelFile
    self.isChangeable = isChangeable
  }

  /// `layer 0 activation: checkpoint sigmoid, model file tanh`.
  public var description: String { "\(place): checkpoint \(checkpoint), model file \(modelFile)" }

  /// Every difference of `modelFile` from `checkpoint` that matters for resuming, in the order of the
  /// model text (`printer` writes the values).
  public static func between(
    checkpoint: ModelDescription, modelFile: ModelDescription, printer: ModelPrinter
  ) -> [ModelDifference] {
    var differences: [ModelDifference] = []
    let base = modelFile.baseDirectory
    func text(_ value: OptionValue?) -> String {
      value.map { printer.format($0, type: nil, words: [], base: base) } ?? "(not set)"
    }
    func options(_ place: String, _ old: Options, _ new: Options, changeable: Bool) {
      let keys = old.order + new.order.filter { !old.order.contains($0) }
      for key in keys where old[key] != new[key] {
        differences.append(
          ModelDifference(
            place: "\(place) \(key)", checkpoint: text(old[key]), modelFile: text(new[key]),
            isChangeable: changeable && key != "precision"))
      }
    }
    func component(
      _ place: String, _ old: ComponentReference?, _ new: ComponentReference?, changeable: Bool
    ) {
      guard let old, let new, old.name == new.name else {
        if old != new {
          differences.append(
            ModelDifference(
              place: place, checkpoint: old.map { text(.component($0)) } ?? "(not given)",
              modelFile: new.map { text(.component($0)) } ?? "(not given)",
              isChangeable: changeable))
        }
        return
      }
      options(place, old.options, new.options, changeable: changeable)
    }

    component("data", checkpoint.data, modelFile.data, changeable: true)
    options(
      "split", checkpoint.split.statementOptions, modelFile.split.statementOptions,
      changeable: true)
    options(
      "preprocess", checkpoint.preprocessing.statementOptions,
      modelFile.preprocessing.statementOptions, changeable: true)
    if checkpoint.layers.count != modelFile.layers.count {
      differences.append(
        ModelDifference(
          place: "layers", checkpoint: "\(checkpoint.layers.count) layers",
          modelFile: "\(modelFile.layers.count) layers", isChangeable: false))
    } else {
      for (index, (old, new)) in zip(checkpoint.layers, modelFile.layers).enumerated() {
        component("layer \(index)", old, new, changeable: false)
      }
    }
    component("loss", checkpoint.loss, modelFile.loss, changeable: true)
    component("optimizer", checkpoint.optimizer, modelFile.optimizer, changeable: true)
    component("schedule", checkpoint.schedule, modelFile.schedule, changeable: true)
    var oldTraining = checkpoint.training
    var newTraining = modelFile.training
    // The budget may grow; the threads and the step are how the run executes, not what it trains
    // (`train step=` like `--step`, `train threads=` like `--threads`).
    (oldTraining.epochs, oldTraining.threads, oldTraining.step) = (0, 0, .auto)
    (newTraining.epochs, newTraining.threads, newTraining.step) = (0, 0, .auto)
    // `options` marks the key `precision` as unchangeable.
    options(
      "train", oldTraining.statementOptions, newTraining.statementOptions, changeable: true)
    switch (checkpoint.earlyStopping, modelFile.earlyStopping) {
    case (nil, nil): break
    case (let old?, let new?):
      options(
        "early_stopping", old.statementOptions, new.statementOptions, changeable: true)
    case (let old, let new):
      differences.append(
        ModelDifference(
          place: "early_stopping", checkpoint: old == nil ? "(not given)" : "given",
          modelFile: new == nil ? "(not given)" : "given", isChangeable: true))
    }
    return differences
  }
}

extension ModelRunner {
  /// Checks the model file's `description` against the model the checkpoint at `path` was trained
  /// with, before a resume: only the header is read.
  ///
  /// - Throws: `InputError` naming the checkpoint: a damaged header or metadata, a checkpoint model
  ///   this registry cannot read (e.g. an unregistered custom activation), a different network or
  ///   precision, or a changed training setting without `allowChanges`; every difference is listed.
  public func checkResume(
    of description: ModelDescription, fromCheckpointAt path: String, allowChanges: Bool
  ) throws {
    let metadata = try CheckpointMetadata(
      strings: SafetensorsFile.metadata(atPath: path), file: path)
    // A model text this registry cannot read (an unregistered custom activation) is refused here,
    // its errors naming the checkpoint's metadata.
    let saved = try ModelParser(registry: registry).parse(
      metadata.model, path: "\(path) (metadata 'model')", baseDirectory: description.baseDirectory)
    let differences = ModelDifference.between(
      checkpoint: saved, modelFile: description, printer: ModelPrinter(registry: registry))
    let refused = differences.filter { !$0.isChangeable || !allowChanges }
    guard let first = refused.first else { return }
    let others = refused.dropFirst().map(\.description)
    let fixed = refused.contains { !$0.isChangeable }
    throw InputError(
      file: path,
      "the model file differs from the model this checkpoint was trained with: \(first)",
      hint: (others.isEmpty ? "" : "also: " + others.joined(separator: "; ") + "; ")
        + (fixed
          ? "the network and the precision of a run cannot change on resume; use the model file "
            + "(and --set) the run started with"
          : "to continue with the changed settings, add --allow-changes; the epoch budget "
            + "(--epochs) and the outputs may change without it"))
  }
}
