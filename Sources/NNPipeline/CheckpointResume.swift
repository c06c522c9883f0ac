import NNCheckpoints
import NNLayers
import NNModelLanguage
import NNProtocols
import NNTraining

extension Checkpoint {
  /// Where the run saved in this checkpoint stands (`ResumePoint`), checked key by key against the
  /// run about to continue it.
  ///
  /// - Parameters:
  ///   - network: the network being resumed (its dropout layers need saved generator states).
  ///   - trainingSamples: the samples of the training split (`resume_batch` must be a step of an
  ///     epoch of them).
  ///   - training: the run's settings (the epoch budget, the batch size).
  ///   - earlyStopping: the run's early stopping, if any.
  /// - Throws: `InputError` naming the checkpoint and the key, with what was expected: no epoch left
  ///   in the budget, `resume_batch` outside the epoch's batches, generator states that do not match
  ///   the network's dropout layers, a history longer than the epochs, a missing best-parameter copy.
  public func resumePoint<S: NNScalar>(
    network: Network<S>, trainingSamples: Int, training: TrainingSettings,
    earlyStopping: EarlyStoppingSettings?
  ) throws -> ResumePoint {
    let place = file ?? "checkpoint"
    let saved = metadata
    func problem(_ key: String, _ expected: String, found: String, hint: String? = nil)
      -> InputError
    {
      InputError(
        file: place, "checkpoint metadata '\(key)' must be \(expected); found \(found)", hint: hint)
    }

    guard saved.epoch < training.epochs else {
      let (suggested, overflow) = saved.epoch.addingReportingOverflow(max(training.epochs, 1))
      throw InputError(
        file: place,
        "nothing to resume: the checkpoint has completed \(saved.epoch) epochs and the budget is "
          + "\(training.epochs)",
        hint: overflow
          ? "raise the budget with --epochs" : "raise the budget, e.g. --epochs \(suggested)")
    }

    let batchSize = min(training.batchSize ?? trainingSamples, trainingSamples)
    let batches = batchSize > 0 ? (trainingSamples + batchSize - 1) / batchSize : 0
    guard (0..<max(batches, 1)).contains(saved.resumeBatch) else {
      throw problem(
        "resume_batch",
        "less than the \(batches) batches of an epoch (\(trainingSamples) training samples in "
          + "batches of \(batchSize))", found: String(saved.resumeBatch),
        hint: "the checkpoint was written for other data or another batch size")
    }

    guard let generatorState = saved.generatorState else {
      throw problem(
        "generator_state", "present to resume a run (the shuffling generator's state)",
        found: "no such key")
    }

    let randomized = network.randomizedLayerPaths
    if Set(saved.layerGeneratorStates.keys) != Set(randomized) {
      let expected =
        randomized.isEmpty
        ? "absent: the model has no dropout layers"
        : "the generator state of each dropout layer (\(randomized.joined(separator: ", ")))"
      let found =
        saved.layerGeneratorStates.isEmpty
        ? "none" : saved.layerGeneratorStates.keys.sorted().joined(separator: ", ")
      throw problem(
        "layer_generator_states", expected, found: found,
        hint: saved.layerGeneratorStates.isEmpty
          ? "a checkpoint of an older nnpipe lacks dropout's generator and cannot resume exactly; "
            + "--init-from continues from its weights" : nil)
    }

    let stopping = saved.earlyStopping ?? EarlyStoppingState()
    if let earlyStopping, earlyStopping.restoreBest, stopping.bestEpoch > 0,
      !tensors.keys.contains(where: { $0.hasPrefix(Self.bestParametersPrefix) })
    {
      throw InputError(
        file: place,
        "early stopping's best parameters (tensors 'early_stopping.*') are missing; metadata "
          + "'early_stopping_best_epoch' is \(stopping.bestEpoch)")
    }

    let history = try trainingHistory()
    guard history.loss.epochs <= saved.epoch else {
      throw problem(
        "history", "at most one value per completed epoch (\(saved.epoch))",
        found: "\(history.loss.epochs) values")
    }
    return ResumePoint(
      epoch: saved.epoch, batch: saved.resumeBatch, epochStartGenerator: generatorState,
      partialLossSum: saved.resumeLossSum, layerGenerators: saved.layerGeneratorStates,
      earlyStopping: stopping, history: history)
  }
}
