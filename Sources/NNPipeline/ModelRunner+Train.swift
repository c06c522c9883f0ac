import Foundation
import NNCheckpoints
import NNLayers
import NNModelLanguage
import NNProtocols
import NNTraining

extension ModelRunner {
  /// Trains `description` on `dataset`, data held in memory, and returns the trained model:
  /// predict, evaluate and save it. Nothing is written.
  ///
  /// Training is `nnpipe run`'s: the same split, scaling, weights, steps and bits. The model's
  /// `data` statement becomes `csv path=NAME.csv` (the data set's name, or `data`, in the current
  /// directory), so the checkpoint says where `nnpipe evaluate CHECKPOINT` without a DATA argument
  /// would read the data; write the samples there if it should.
  ///
  /// ```swift
  /// let model = try ModelRunner().train(description, on: xor)
  /// let outputs = model.predict(xor.features)
  /// try model.save(to: "xor.safetensors")
  /// ```
  /// - Parameters:
  ///   - onEpoch: called with every epoch's record (loss, learning rate, time).
  /// - Throws: `InputError` when the data does not fit the model (a loss that needs class labels,
  ///   a last layer of the wrong size), `DivergenceError` when training diverges.
  public func train(
    _ description: ModelDescription, on dataset: Dataset,
    onEpoch: @escaping (EpochRecord) -> Void = { _ in }
  ) throws -> TrainedModel {
    var description = description
    let name = (dataset.name as NSString).lastPathComponent
    let file = name.isEmpty ? "data" : name
    description.data = try registry.reference(
      .dataset, "csv",
      [
        (
          "path",
          .text(
            ModelDescription.absolutePath(
              file.hasSuffix(".csv") ? file : file + ".csv", base: description.baseDirectory))
        )
      ])
    let data = try PreparedData(description, dataset: dataset)
    return try train(description, data: data, onEpoch: onEpoch)
  }

  /// Trains `description` on the data its `data` statement names (a generator such as `xor`, or a
  /// file) and returns the trained model, as `nnpipe run` trains it; nothing is written.
  public func train(
    _ description: ModelDescription, onEpoch: @escaping (EpochRecord) -> Void = { _ in }
  ) throws -> TrainedModel {
    try checkDataMemory(description, registry: registry)
    return try train(
      description, data: PreparedData(description, registry: registry), onEpoch: onEpoch)
  }

  /// Prepares the components for `data`, checks them as `prepare` does, and trains.
  private func train(
    _ description: ModelDescription, data: PreparedData, onEpoch: @escaping (EpochRecord) -> Void
  ) throws -> TrainedModel {
    let model = try PreparedModel(
      description, registry: registry, inputSize: data.dataset.inputSize,
      classNames: data.dataset.classNames, targetCount: data.dataset.targets.cols)
    try model.checkTrainingSetup(data, registry: registry)
    try checkMemory(
      model, batchSize: description.training.batchSize, samples: data.train.count,
      precision: description.training.precision)
    var options = RunOptions()
    options.onEpoch = onEpoch
    switch description.training.precision {
    case .float:
      return try TrainedModel(Session<Float>(runner: self, data: data, model: model), options)
    case .double:
      return try TrainedModel(Session<Double>(runner: self, data: data, model: model), options)
    }
  }
}

extension TrainedModel {
  /// Trains the session's network and keeps it, with its checkpoint, for prediction.
  init<S: NNScalar>(_ session: Session<S>, _ options: RunOptions) throws {
    let trained = try session.train(options)
    let (network, data, model) = (trained.network, session.data, session.model)
    description = model.description
    classNames = model.classNames
    featureNames = data.dataset.featureNames
    featureScaler = data.featureScaler
    targetScaler = data.targetScaler
    outputSize = model.outputSize
    loss = model.loss
    prepared = model
    checkpoint = session.checkpoint(of: trained)
    trainingOutcome = trained.outcome
    let (features, targets) = (data.featureScaler, data.targetScaler)
    predict = { raw in
      let outputs = network.predict(features.transform(raw).converted(to: S.self))
        .converted(to: Double.self)
      return targets?.inverseTransform(outputs) ?? outputs
    }
    scaledMetrics = { scaledFeatures, scaledTargets in
      model.metrics(
        outputs: network.predict(scaledFeatures.converted(to: S.self)), targets: scaledTargets,
        targetScaler: targets)
    }
  }
}
