import Foundation
import NNCheckpoints
import NNModelLanguage
import NNProtocols
import NNTraining
import Testing

@testable import NNPipeline

/// Resuming a run from its checkpoint: every piece of state that shapes the rest of the run is saved
/// and put back, so an interrupted run ends with the same bits as an uninterrupted one; what a
/// checkpoint says is checked key by key first.
@Suite struct CheckpointResumeTests {
  let registry = ComponentRegistry.standard()

  /// Dropout (its own generator), shuffled mini-batches (the run's generator), Adam (optimizer
  /// state and step) and a validation split: 48 training samples in 4 batches of 12 per epoch.
  static let dropoutModel = """
    data sine count=64 noise=0.1 seed=2
    split validation=0.25
    layer dense units=8 activation=tanh
    layer dropout rate=0.3
    layer dense units=1
    optimizer adam lr=0.01
    train epochs=6 batch=12 seed=3
    """

  /// Early stopping that keeps epoch 1 as the best (every later epoch is worse by less than
  /// `min_delta`) and stops after 3 epochs without improvement, restoring epoch 1's weights.
  static let earlyStoppingModel = """
    data sine count=64 noise=0.1 seed=2
    split validation=0.25
    layer dense units=8 activation=tanh
    layer dense units=1
    optimizer sgd lr=0.05 momentum=0.9
    train epochs=20 batch=12 seed=3
    early_stopping patience=3 min_delta=1000 monitor=val_loss
    """

  /// Counts training steps and asks to stop after `limit` of them (once).
  final class StepCounter: @unchecked Sendable {
    var steps = 0
    let limit: Int
    init(stoppingAfter limit: Int) { self.limit = limit }
    func shouldStop() -> Bool {
      steps += 1
      return steps == limit
    }
  }

  func description(_ text: String, epochs: Int? = nil, in folder: URL) throws -> ModelDescription {
    try ModelParser(registry: registry).parse(
      text, path: folder.appendingPathComponent("m.txt").path, baseDirectory: folder.path,
      overrides: epochs.map { ["train.epochs=\($0)"] } ?? [])
  }

  /// Runs `text` to the end into `straight`, and again into `resumed`, stopped after `steps` steps
  /// and resumed from its checkpoint; returns both checkpoints and the reports.
  func runStraightAndResumed(_ text: String, stoppingAfter steps: Int, in folder: URL) throws
    -> (straight: Checkpoint, resumed: Checkpoint, reports: [RunReport])
  {
    let runner = ModelRunner(registry: registry)
    let model = try description(text, in: folder)
    let straightPath = folder.appendingPathComponent("straight.safetensors").path
    let resumedPath = folder.appendingPathComponent("resumed.safetensors").path
    let straight = try runner.run(model, options: RunOptions(checkpointPath: straightPath))

    var first = RunOptions(checkpointPath: resumedPath)
    let counter = StepCounter(stoppingAfter: steps)
    first.shouldStop = counter.shouldStop
    let interrupted = try runner.run(model, options: first)
    #expect(interrupted.stopReason == .interrupted)
    let second = try runner.run(
      model, options: RunOptions(resume: resumedPath, checkpointPath: resumedPath))
    return (
      try Checkpoint.read(from: straightPath), try Checkpoint.read(from: resumedPath),
      [straight, interrupted, second]
    )
  }

  /// The two checkpoints hold the same tensors, byte for byte, and the same resume state.
  func expectSameBits(_ a: Checkpoint, _ b: Checkpoint) {
    #expect(a.tensors.keys.sorted() == b.tensors.keys.sorted())
    for (name, tensor) in a.tensors {
      #expect(tensor == b.tensors[name], "tensor '\(name)' differs")
    }
    #expect(a.metadata.epoch == b.metadata.epoch)
    #expect(a.metadata.optimizerStep == b.metadata.optimizerStep)
    #expect(a.metadata.generatorState == b.metadata.generatorState)
    #expect(a.metadata.layerGeneratorStates == b.metadata.layerGeneratorStates)
    #expect(a.metadata.earlyStopping == b.metadata.earlyStopping)
    #expect(a.metadata.historyLayout == b.metadata.historyLayout)
  }

  /// 4 steps per epoch: 6 stops in the middle of epoch 2, 8 at the end of epoch 2.
  @Test(arguments: [6, 8])
  func aRunWithDropoutResumesToTheSameBits(stoppingAfter steps: Int) throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (straight, resumed, reports) = try runStraightAndResumed(
      Self.dropoutModel, stoppingAfter: steps, in: folder)
    #expect(straight.metadata.layerGeneratorStates.keys.sorted() == ["layers.1"])
    expectSameBits(straight, resumed)
    #expect(reports[1].epochsCompleted == (steps == 6 ? 1 : 2))
    #expect(reports[2].epochsCompleted == 6)
    // The history covers every epoch, the interrupted run's included.
    let history = try resumed.trainingHistory()
    #expect(history.loss.epochs == 6 && history.validationLoss?.epochs == 6)
    #expect(history.loss.values == reports[0].history.map(\.loss))
  }

  /// The loss plot of a resumed run draws every epoch of the run, the interrupted part's too: it is
  /// the uninterrupted run's plot, byte for byte.
  @Test func aResumedRunsLossPlotDrawsTheWholeRun() throws {
    let resumedFolder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: resumedFolder) }
    let text = Self.dropoutModel + "\noutput plot_loss=loss.svg"
    // The last writer of loss.svg in this folder is the resumed run (stopped in epoch 3).
    _ = try runStraightAndResumed(text, stoppingAfter: 10, in: resumedFolder)
    let straightRun = try makeFolder()
    defer { try? FileManager.default.removeItem(at: straightRun) }
    _ = try ModelRunner(registry: registry).run(
      try description(text, in: straightRun),
      options: RunOptions(checkpointPath: straightRun.appendingPathComponent("s.safetensors").path))
    let uninterrupted = try Data(contentsOf: straightRun.appendingPathComponent("loss.svg"))
    let resumed = try Data(contentsOf: resumedFolder.appendingPathComponent("loss.svg"))
    #expect(resumed == uninterrupted)
  }

  /// Mid-epoch (10: epoch 3, step 2) and at an epoch boundary (8: after epoch 2), before early
  /// stopping triggers at epoch 4.
  @Test(arguments: [10, 8])
  func aRunWithEarlyStoppingResumesToTheSameBits(stoppingAfter steps: Int) throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (straight, resumed, reports) = try runStraightAndResumed(
      Self.earlyStoppingModel, stoppingAfter: steps, in: folder)
    #expect(reports[0].stopReason == .earlyStopping && reports[0].restoredEpoch == 1)
    #expect(reports[2].stopReason == .earlyStopping && reports[2].restoredEpoch == 1)
    #expect(reports[2].epochsCompleted == 4)
    #expect(
      resumed.metadata.earlyStopping
        == EarlyStoppingState(
          bestLoss: straight.metadata.earlyStopping?.bestLoss ?? 0, bestEpoch: 1,
          epochsWithoutImprovement: 3))
    #expect(resumed.tensors.keys.contains("early_stopping.layers.0.weight"))
    expectSameBits(straight, resumed)
  }

  @Test func anInterruptionAtTheEpochWhereEarlyStoppingTriggersEndsTheRun() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try description(Self.earlyStoppingModel, in: folder)
    var options = RunOptions(checkpointPath: folder.appendingPathComponent("c.safetensors").path)
    let counter = StepCounter(stoppingAfter: 16)  // the end of epoch 4
    options.shouldStop = counter.shouldStop
    let report = try ModelRunner(registry: registry).run(model, options: options)
    #expect(report.stopReason == .earlyStopping && report.restoredEpoch == 1)
  }

  // MARK: - Checked key by key

  /// A checkpoint of the dropout model interrupted in the middle of epoch 2, in `folder`.
  func interruptedCheckpoint(in folder: URL) throws -> (ModelDescription, String) {
    let model = try description(Self.dropoutModel, in: folder)
    let path = folder.appendingPathComponent("c.safetensors").path
    var options = RunOptions(checkpointPath: path)
    let counter = StepCounter(stoppingAfter: 6)
    options.shouldStop = counter.shouldStop
    _ = try ModelRunner(registry: registry).run(model, options: options)
    return (model, path)
  }

  /// The error resuming from the checkpoint at `path` after `edit` changed its metadata.
  func resumeError(
    _ model: ModelDescription, _ path: String, _ edit: (inout [String: String]) -> Void
  ) throws -> InputError? {
    let file = try SafetensorsFile(contentsOf: path)
    var strings = file.metadata
    edit(&strings)
    try SafetensorsFile(tensors: file.tensors, metadata: strings).write(to: path)
    return #expect(throws: InputError.self) {
      _ = try ModelRunner(registry: registry).run(
        model, options: RunOptions(resume: path, checkpointPath: nil))
    }
  }

  @Test func aResumeBatchOutsideTheEpochIsRefused() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    #expect(try Checkpoint.read(from: path).metadata.resumeBatch == 2)
    let error = try resumeError(model, path) { $0["resume_batch"] = "4" }
    #expect(error?.file == path)
    #expect(
      error?.message
        == "checkpoint metadata 'resume_batch' must be less than the 4 batches of an epoch "
        + "(48 training samples in batches of 12); found 4")
  }

  @Test func epochsNearTheLargestIntegerAreRefusedWithoutOverflow() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    let error = try resumeError(model, path) {
      $0["epoch"] = "9223372036854775806"
      $0["optimizer_step"] = "9223372036854775807"
    }
    #expect(error?.file == path)
    #expect(
      error?.message.hasPrefix("checkpoint metadata 'epoch' must be an integer from 0") == true)
    // The largest accepted epoch: the budget is spent, and the suggestion does not overflow.
    let atLimit = try resumeError(model, path) {
      $0["epoch"] = String(CheckpointMetadata.maximumCount)
      $0["optimizer_step"] = "0"
    }
    #expect(
      atLimit?.message
        == "nothing to resume: the checkpoint has completed 9007199254740992 epochs and the budget is 6"
    )
    #expect(atLimit?.hint == "raise the budget, e.g. --epochs 9007199254740998")
  }

  @Test func dropoutWithoutItsGeneratorStateIsRefused() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    let error = try resumeError(model, path) { $0["layer_generator_states"] = nil }
    #expect(
      error?.message
        == "checkpoint metadata 'layer_generator_states' must be the generator state of each "
        + "dropout layer (layers.1); found none")
    #expect(error?.hint?.contains("--init-from") == true)
  }

  @Test func aMissingShufflingGeneratorIsRefused() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    let error = try resumeError(model, path) { $0["generator_state"] = nil }
    #expect(
      error?.message.hasPrefix("checkpoint metadata 'generator_state' must be present") == true)
  }

  // MARK: - The model file against the checkpoint's model

  @Test func aDifferentNetworkOrPrecisionIsRefusedNamingWhatDiffers() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    let runner = ModelRunner(registry: registry)
    let other = try description(
      Self.dropoutModel.replacingOccurrences(of: "activation=tanh", with: "activation=sigmoid")
        .replacingOccurrences(of: "seed=3", with: "seed=3 precision=double"), in: folder)
    let error = #expect(throws: InputError.self) {
      try runner.checkResume(of: other, fromCheckpointAt: path, allowChanges: true)
    }
    #expect(error?.file == path)
    #expect(
      error?.message
        == "the model file differs from the model this checkpoint was trained with: "
        + "layer 0 activation: checkpoint tanh, model file sigmoid")
    #expect(
      error?.hint?.hasPrefix("also: train precision: checkpoint float, model file double") == true)
    // The same model with another budget and other outputs resumes.
    var longer = model
    longer.training.epochs = 50
    longer.outputs.plotLoss = folder.appendingPathComponent("loss.svg").path
    try runner.checkResume(of: longer, fromCheckpointAt: path, allowChanges: false)
    // … and with another training step or thread count: how it runs, not what it trains.
    longer.training.step = .reference
    longer.training.threads = 1
    try runner.checkResume(of: longer, fromCheckpointAt: path, allowChanges: false)
  }

  @Test func aChangedTrainingSettingNeedsAllowChanges() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (_, path) = try interruptedCheckpoint(in: folder)
    let runner = ModelRunner(registry: registry)
    let faster = try description(
      Self.dropoutModel.replacingOccurrences(of: "lr=0.01", with: "lr=0.02"), in: folder)
    let error = #expect(throws: InputError.self) {
      try runner.checkResume(of: faster, fromCheckpointAt: path, allowChanges: false)
    }
    #expect(error?.message.hasSuffix("optimizer lr: checkpoint 0.01, model file 0.02") == true)
    #expect(error?.hint?.contains("--allow-changes") == true)
    try runner.checkResume(of: faster, fromCheckpointAt: path, allowChanges: true)
    var options = RunOptions(resume: path, checkpointPath: nil)
    options.allowChanges = true
    let report = try runner.run(faster, options: options)
    #expect(report.epochsCompleted == 6)
  }

  @Test func aCheckpointOfAnUnknownComponentIsRefused() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    let file = try SafetensorsFile(contentsOf: path)
    var strings = file.metadata
    strings["model"] = strings["model"]?.replacingOccurrences(
      of: "activation=tanh", with: "activation=my_custom")
    try SafetensorsFile(tensors: file.tensors, metadata: strings).write(to: path)
    let error = #expect(throws: InputErrors.self) {
      try ModelRunner(registry: registry).checkResume(
        of: model, fromCheckpointAt: path, allowChanges: true)
    }
    #expect(error?.errors.first?.file == "\(path) (metadata 'model')")
    #expect(error?.errors.first?.message.contains("my_custom") == true)
  }

  // MARK: - History

  /// A 3-million-epoch history (built through the API: such a run takes minutes in a debug build)
  /// keeps the checkpoint under 1 MB and its header small, reads back, and a resumed run extends it.
  @Test func aThreeMillionEpochHistoryStaysSmall() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, path) = try interruptedCheckpoint(in: folder)
    var checkpoint = try Checkpoint.read(from: path)
    var history = TrainingHistory()
    for epoch in 0..<3_000_000 {
      history.record(
        EpochRecord(
          epoch: epoch + 1, loss: 1 / Double(epoch + 1), validationLoss: 2 / Double(epoch + 1),
          learningRate: 0.01, elapsed: 0))
    }
    #expect(history.loss.epochsPerBucket == 256 && history.loss.minimums.count == 11_719)
    checkpoint.metadata.epoch = 3_000_000
    checkpoint.metadata.resumeBatch = 0
    checkpoint.setTrainingHistory(history)
    try checkpoint.write(to: path)
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? .max
    #expect(size < 1_000_000, "\(size) bytes")
    let headerLength = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 8)
      .map { $0.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } }
    #expect((headerLength ?? .max) < 10_000)
    let read = try Checkpoint.read(from: path)
    #expect(try read.trainingHistory() == history)
    // What `predict` and `evaluate` load.
    _ = try TrainedModel(checkpointAt: path, registry: registry)
    if let copy = ProcessInfo.processInfo.environment["NNPIPE_KEEP_LONG_HISTORY"] {
      try? FileManager.default.removeItem(atPath: copy)
      try FileManager.default.copyItem(atPath: path, toPath: copy)
    }

    var longer = model
    longer.training.epochs = 3_000_001
    let report = try ModelRunner(registry: registry).run(
      longer, options: RunOptions(resume: path, checkpointPath: path))
    #expect(report.epochsCompleted == 3_000_001)
    let extended = try Checkpoint.read(from: path).trainingHistory()
    #expect(extended.loss.epochs == 3_000_001 && extended.validationLoss?.epochs == 3_000_001)
  }

  @Test func aHistoryTensorThatDoesNotFitItsLayoutIsRefused() throws {
    let folder = try makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (_, path) = try interruptedCheckpoint(in: folder)
    var checkpoint = try Checkpoint.read(from: path)
    checkpoint.tensors["history.loss"] = SafetensorsTensor(shape: [5], values: [1, 2, 3, 4, 5])
    try checkpoint.write(to: path)
    let error = #expect(throws: InputError.self) { try Checkpoint.read(from: path) }
    #expect(error?.file == path)
    #expect(
      error?.message
        == "tensor 'history.loss' has shape [5] and dtype F64; its history_layout (1 epochs, 1 per "
        + "bucket) needs [1] of a floating-point dtype")
  }

  @Test func anOlderCheckpointsHeaderHistoryStillReads() throws {
    var checkpoint = Checkpoint(
      tensors: [:],
      metadata: CheckpointMetadata(
        nnpipeVersion: "0.9", model: "m", epoch: 2, history: ["loss": [0.5, 0.25]]))
    #expect(try checkpoint.trainingHistory().loss.values == [0.5, 0.25])
    checkpoint.setTrainingHistory(TrainingHistory(loss: EpochSeries(values: [0.5, 0.25, 0.125])))
    #expect(checkpoint.metadata.history == nil)
    #expect(checkpoint.metadata.strings["history"] == nil)
    #expect(checkpoint.tensors["history.loss"]?.shape == [3])
  }

  func makeFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-resume-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }
}
