import Foundation
import NNKernels
import NNLayers
import NNOptimizers
import NNProtocols

/// Samples ready for training, in the run's precision: one sample per row.
public struct LabeledData<S: NNScalar> {
  /// `[samples, inputs]`, already scaled.
  public var features: Matrix<S>
  /// In the form the loss expects: `[samples, outputs]` values, or `[samples, 1]` class indices.
  public var targets: Matrix<S>
  /// The number of classes for a classifier, else `nil`.
  public var classCount: Int?
  /// A classifier's class index per row, when `targets` hold another encoding (one-hot, 0/1, ±1);
  /// `nil`: `targets` are the class indices.
  public var classLabels: [Int]?
  /// How the metrics read the outputs as classes; `nil`: argmax (one output: `≥ 0.5`).
  public var reading: OutputReading?

  public init(
    features: Matrix<S>, targets: Matrix<S>, classCount: Int? = nil, classLabels: [Int]? = nil,
    reading: OutputReading? = nil
  ) {
    precondition(features.rows == targets.rows, "features and targets differ in rows")
    self.features = features
    self.targets = targets
    self.classCount = classCount
    self.classLabels = classLabels
    self.reading = reading
  }

  /// The number of samples.
  public var count: Int { features.rows }
}

/// How `Trainer.fit` runs.
public struct TrainingPlan: Sendable {
  /// The epoch budget (the total, counting epochs already run before a resume).
  public var epochs: Int
  /// Samples per step; `nil` = the whole training set (full-batch gradient descent).
  public var batchSize: Int?
  /// Reshuffle the samples every epoch (ignored for full batches, whose order does not matter).
  public var shuffle: Bool
  /// Stop when the monitored loss stops improving.
  public var earlyStopping: EarlyStoppingRule?
  /// Record each layer's weight-gradient norm at the end of every epoch (for the vanishing-gradient plot).
  public var recordGradientNorms: Bool

  public init(
    epochs: Int, batchSize: Int? = nil, shuffle: Bool = true,
    earlyStopping: EarlyStoppingRule? = nil, recordGradientNorms: Bool = false
  ) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.earlyStopping = earlyStopping
    self.recordGradientNorms = recordGradientNorms
  }
}

/// When `Trainer.fit` stops early: after `patience` epochs in which the monitored loss did not fall
/// by more than `minDelta`.
public struct EarlyStoppingRule: Sendable, Equatable {
  /// Epochs without improvement before stopping.
  public var patience: Int
  /// The smallest decrease that counts as an improvement.
  public var minDelta: Double
  /// Monitor the validation loss (the training loss when there is no validation data); `false`:
  /// the training loss.
  public var monitorsValidation: Bool
  /// Put back the weights of the best epoch at the end.
  public var restoreBest: Bool

  public init(
    patience: Int = 10, minDelta: Double = 0, monitorsValidation: Bool = true,
    restoreBest: Bool = true
  ) {
    self.patience = patience
    self.minDelta = minDelta
    self.monitorsValidation = monitorsValidation
    self.restoreBest = restoreBest
  }
}

/// What happened in one epoch.
public struct EpochRecord: Sendable, Equatable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Mean training loss over the epoch's batches (weighted by batch size).
  public var loss: Double
  /// Loss on the validation data, if any.
  public var validationLoss: Double?
  /// Accuracy on the validation data, for a classifier with validation data.
  public var validationAccuracy: Double?
  /// The learning rate used in this epoch.
  public var learningRate: Double
  /// Each weight's gradient norm after the epoch's last step (when recorded), in layer order.
  public var gradientNorms: [Double]
  /// Seconds of training so far in this run.
  public var elapsed: Double

  public init(
    epoch: Int, loss: Double, validationLoss: Double? = nil, validationAccuracy: Double? = nil,
    learningRate: Double, gradientNorms: [Double] = [], elapsed: Double
  ) {
    self.epoch = epoch
    self.loss = loss
    self.validationLoss = validationLoss
    self.validationAccuracy = validationAccuracy
    self.learningRate = learningRate
    self.gradientNorms = gradientNorms
    self.elapsed = elapsed
  }
}

/// Why training stopped.
public enum StopReason: String, Sendable, Equatable {
  /// The epoch budget was used up.
  case completed
  /// The monitored loss stopped improving for `patience` epochs.
  case earlyStopping = "early_stopping"
  /// The user asked to stop (SIGINT/SIGTERM); the current step was finished.
  case interrupted
}

/// Early stopping's running state: the best monitored loss so far, its epoch, and the epochs since.
public struct EarlyStoppingState: Sendable, Equatable {
  /// The best (lowest) monitored loss so far; `+∞` before any epoch counted as an improvement.
  public var bestLoss: Double
  /// The epoch of `bestLoss` (1-based); 0 before any.
  public var bestEpoch: Int
  /// Epochs since the last improvement (early stopping triggers when it reaches the patience).
  public var epochsWithoutImprovement: Int

  public init(bestLoss: Double = .infinity, bestEpoch: Int = 0, epochsWithoutImprovement: Int = 0) {
    self.bestLoss = bestLoss
    self.bestEpoch = bestEpoch
    self.epochsWithoutImprovement = epochsWithoutImprovement
  }
}

/// Where a run stands, so an interrupted run can continue exactly where it stopped: everything that
/// shapes the rest of the run (besides the parameters, the optimizer state and early stopping's best
/// parameters, which `Trainer` holds as matrices).
public struct ResumePoint: Sendable, Equatable {
  /// Epochs fully completed.
  public var epoch: Int
  /// Steps completed in the current (incomplete) epoch; 0 at an epoch boundary.
  public var batch: Int
  /// The generator's state at the start of the current epoch (before its shuffle).
  public var epochStartGenerator: [UInt64]
  /// Sum of (batch loss × batch size) over the completed steps of the current epoch.
  public var partialLossSum: Double
  /// The generator state of every layer that draws random numbers (dropout), by layer path, at the
  /// stop (`Network.generatorStates`); empty: keep the layers' generators as they are.
  public var layerGenerators: [String: [UInt64]]
  /// Early stopping's state after the last completed epoch.
  public var earlyStopping: EarlyStoppingState
  /// The per-epoch series of every completed epoch, earlier runs included.
  public var history: TrainingHistory

  public init(
    epoch: Int, batch: Int, epochStartGenerator: [UInt64], partialLossSum: Double,
    layerGenerators: [String: [UInt64]] = [:],
    earlyStopping: EarlyStoppingState = EarlyStoppingState(),
    history: TrainingHistory = TrainingHistory()
  ) {
    self.epoch = epoch
    self.batch = batch
    self.epochStartGenerator = epochStartGenerator
    self.partialLossSum = partialLossSum
    self.layerGenerators = layerGenerators
    self.earlyStopping = earlyStopping
    self.history = history
  }
}

/// The result of `Trainer.fit`.
public struct TrainingOutcome: Sendable {
  /// One record per epoch completed in this call.
  public var history: [EpochRecord]
  public var stopReason: StopReason
  /// Epochs completed in total (including any before a resume).
  public var epochsCompleted: Int
  /// Where to continue from (after an interruption, mid-epoch).
  public var resumePoint: ResumePoint
  /// The epoch whose weights were restored by early stopping, if any.
  public var restoredEpoch: Int?
  /// Wall-clock seconds spent in `fit`.
  public var seconds: Double
  /// Training samples processed (samples × epochs, counting partial epochs).
  public var samplesProcessed: Int
}

/// Training stopped because a value became NaN or infinite.
public struct DivergenceError: Error, Sendable, CustomStringConvertible {
  /// 1-based epoch and batch where it happened.
  public var epoch: Int
  public var batch: Int
  /// The first parameter path whose values are not finite, if any (else only the loss was).
  public var parameterPath: String?
  /// The learning rate in use.
  public var learningRate: Double

  public var description: String {
    let place =
      parameterPath.map { "parameter '\($0)' became non-finite" } ?? "the loss became non-finite"
    return "training diverged at epoch \(epoch), batch \(batch): \(place)"
  }

  /// What to try instead.
  public var hint: String {
    "lower the learning rate (it was \(formatReal(learningRate))), e.g. --set optimizer.lr="
      + formatReal(learningRate / 10) + ", or clip gradients with `train clip_norm=1`"
  }
}

/// Trains a network by mini-batch gradient descent: the loop of the tutorials, for any batch size.
///
/// One step (`ReferenceStep`, or a faster step `StepPlanner` chose that computes the same): forward
/// the batch through every layer (keeping `Z` and `A`), ask the loss for `dA` of the output,
/// back-propagate through the layers in reverse (each writes `dW`, `db` and returns `dA_prev`), and
/// let the optimizer update every parameter by its path. Batch size = the whole set is batch gradient
/// descent; 1 is stochastic; anything between is mini-batch.
public final class Trainer<S: NNScalar> {
  public let network: Network<S>
  public let loss: any Loss
  public let updater: ParameterUpdater<S>
  /// The run's generator (shuffles).
  public var generator: SeededGenerator
  /// How each step runs (reference, fused or sharded), as `StepPlanner` chose it.
  public let step: any TrainingStep<S>
  /// The candidates the planner tried before `step`, each with the condition it failed (empty when
  /// a step was requested).
  public let rejectedSteps: [StepRefusal]

  // Workspaces, allocated for the largest batch on the first epoch and reused.
  private var shuffledFeatures = Matrix<S>(rows: 0, cols: 0)
  private var shuffledTargets = Matrix<S>(rows: 0, cols: 0)
  private var order: [Int] = []
  /// Early stopping's copy of the best epoch's parameters, in `network.parameters` order; empty
  /// until an epoch improves (with `restore_best`).
  public private(set) var bestParameters: [Matrix<S>] = []
  /// The network's parameter values in `network.parameters` order, taken once for the finiteness
  /// check and the early-stopping snapshot: reading them through the (path, parameter) pairs would
  /// copy a pair per parameter each epoch.
  private let parameterValues: [Matrix<S>]

  /// - Parameters:
  ///   - step: the step to take (`nil`: the planner's choice, `StepPlanner.plan`).
  ///   - threads: the threads the sharded step splits over (its number of shards, fixed for the
  ///     run so that its results are the same bits run after run); default `Kernels.threadCount`.
  /// - Throws: `StepRefusal` when the requested `step` does not qualify.
  public init(
    network: Network<S>, loss: any Loss, updater: ParameterUpdater<S>, generator: SeededGenerator,
    step: StepKind? = nil, threads: Int = Kernels.threadCount
  ) throws(StepRefusal) {
    let plan = try StepPlanner(network: network, loss: loss, updater: updater, threads: threads)
      .plan(step)
    self.network = network
    self.step = plan.step
    rejectedSteps = plan.rejected
    self.loss = loss
    self.updater = updater
    self.generator = generator
    parameterValues = network.parameters.map(\.parameter.value)
  }

  /// The loss and task metrics of the network on `data` (inference phase), in the units `data`
  /// holds (scaled targets); the figures `run` and `evaluate` print come from
  /// `PreparedModel.metrics`, which reports regression metrics in the data's own units.
  public func evaluate(_ data: LabeledData<S>) -> Metrics {
    let outputs = network.predict(data.features)
    let value = loss.value(predictions: outputs, targets: data.targets)
    if let classes = data.classCount {
      let reading = data.reading ?? OutputReading(classCount: classes, outputCount: outputs.cols)
      let labels = data.classLabels ?? (0..<data.targets.rows).map { Int(data.targets[$0, 0]) }
      return classificationMetrics(
        outputs: outputs, classes: labels, reading: reading, loss: value)
    }
    return regressionMetrics(outputs: outputs, targets: data.targets, loss: value)
  }

  /// Trains on `train` until the plan's epoch budget is spent, early stopping triggers, or
  /// `shouldStop` returns true (checked after every step).
  ///
  /// - Parameters:
  ///   - resumeFrom: continue an interrupted run (its epoch, batch, generators, early stopping state
  ///     and history; its batch within the epoch's batches); `nil` starts at epoch 0 with the
  ///     trainer's generator. Early stopping's best parameters come from `resumeBestParameters`.
  ///   - onEpoch: called after every epoch (progress display).
  /// - Throws: `DivergenceError` when the loss or a parameter becomes NaN or infinite.
  public func fit(
    _ train: LabeledData<S>, validation: LabeledData<S>? = nil, plan: TrainingPlan,
    resumeFrom: ResumePoint? = nil, shouldStop: () -> Bool = { false },
    onEpoch: (EpochRecord) -> Void = { _ in }
  ) throws -> TrainingOutcome {
    let start = monotonicSeconds()
    let count = train.count
    precondition(count > 0, "fit: no training samples")
    let batchSize = min(plan.batchSize ?? count, count)
    let batchesPerEpoch = (count + batchSize - 1) / batchSize
    let shuffles = plan.shuffle && batchSize < count
    prepareWorkspaces(train, batchSize: batchSize, shuffles: shuffles)
    precondition(
      (0..<batchesPerEpoch).contains(resumeFrom?.batch ?? 0),
      "fit: the resume point's batch is outside the \(batchesPerEpoch) batches of an epoch")

    var history: [EpochRecord] = []
    var epoch = resumeFrom?.epoch ?? 0
    var firstBatch = resumeFrom?.batch ?? 0
    var lossSum = resumeFrom?.partialLossSum ?? 0
    if let saved = resumeFrom?.epochStartGenerator, let restored = SeededGenerator(state: saved) {
      generator = restored
    }
    if let saved = resumeFrom?.layerGenerators, !saved.isEmpty {
      network.restoreGeneratorStates(saved)
    }
    var samples = 0
    var stopping = resumeFrom?.earlyStopping ?? EarlyStoppingState()
    var allEpochs = resumeFrom?.history ?? TrainingHistory()
    var stopReason = StopReason.completed
    /// Where an interruption within an epoch stopped: the steps done, the generator's state at the
    /// epoch's start and the partial loss sum; `nil` at an epoch boundary.
    var stoppedWithin: (batch: Int, epochStart: [UInt64], lossSum: Double)?
    if firstBatch > 0 { stoppedWithin = (firstBatch, generator.state, lossSum) }

    training: while epoch < plan.epochs {
      let epochStart = generator.state
      stoppedWithin = nil
      let (features, targets) = shuffles ? shuffled(train) : (train.features, train.targets)
      let rate = updater.learningRate(epoch: epoch, totalEpochs: plan.epochs)
      for batch in firstBatch..<batchesPerEpoch {
        let rows = (batch * batchSize)..<min((batch + 1) * batchSize, count)
        // A full batch is the data itself: no views to make.
        let batchLoss =
          batchesPerEpoch == 1
          ? step(features, targets, epoch: epoch, plan: plan)
          : step(features.rows(rows), targets.rows(rows), epoch: epoch, plan: plan)
        guard batchLoss.isFinite else {
          throw DivergenceError(
            epoch: epoch + 1, batch: batch + 1, parameterPath: firstNonFiniteParameter(),
            learningRate: rate)
        }
        lossSum += batchLoss * Double(rows.count)
        samples += rows.count
        if shouldStop() {
          stopReason = .interrupted
          // After the epoch's last step the run stops at the epoch's end, below.
          if batch + 1 < batchesPerEpoch {
            stoppedWithin = (batch + 1, epochStart, lossSum)
            break training
          }
        }
      }
      if let path = firstNonFiniteParameter() {
        throw DivergenceError(
          epoch: epoch + 1, batch: batchesPerEpoch, parameterPath: path, learningRate: rate)
      }
      epoch += 1
      firstBatch = 0
      var record = EpochRecord(
        epoch: epoch, loss: lossSum / Double(count), learningRate: rate,
        elapsed: monotonicSeconds() - start)
      lossSum = 0
      if let validation {
        let metrics = evaluate(validation)
        record.validationLoss = metrics.loss
        record.validationAccuracy = metrics.accuracy
      }
      if plan.recordGradientNorms {
        record.gradientNorms = network.gradientNorms().map(\.norm)
      }
      history.append(record)
      allEpochs.record(record)
      onEpoch(record)

      // Early stopping counts this epoch before an interruption stops the run, so that a resumed
      // run continues from the same state.
      var patienceExhausted = false
      if let settings = plan.earlyStopping {
        let monitored =
          settings.monitorsValidation ? (record.validationLoss ?? record.loss) : record.loss
        if monitored < stopping.bestLoss - settings.minDelta {
          stopping = EarlyStoppingState(
            bestLoss: monitored, bestEpoch: epoch, epochsWithoutImprovement: 0)
          if settings.restoreBest { saveBestParameters() }
        } else {
          stopping.epochsWithoutImprovement += 1
          patienceExhausted = stopping.epochsWithoutImprovement >= settings.patience
        }
      }
      if patienceExhausted {
        stopReason = .earlyStopping
        break
      }
      if stopReason == .interrupted { break }
    }

    // Nothing draws from the generators after the stop (evaluation does not use dropout), so their
    // states now are those at the stop.
    let resume = ResumePoint(
      epoch: epoch, batch: stoppedWithin?.batch ?? 0,
      epochStartGenerator: stoppedWithin?.epochStart ?? generator.state,
      partialLossSum: stoppedWithin?.lossSum ?? 0, layerGenerators: network.generatorStates,
      earlyStopping: stopping, history: allEpochs)
    var restoredEpoch: Int?
    if stopReason == .earlyStopping, plan.earlyStopping?.restoreBest == true,
      stopping.bestEpoch > 0
    {
      restoreBestParameters()
      restoredEpoch = stopping.bestEpoch
    }
    return TrainingOutcome(
      history: history, stopReason: stopReason, epochsCompleted: resume.epoch, resumePoint: resume,
      restoredEpoch: restoredEpoch, seconds: monotonicSeconds() - start,
      samplesProcessed: samples)
  }

  /// One gradient step on a batch; returns the batch's loss before the update.
  private func step(_ x: Matrix<S>, _ y: Matrix<S>, epoch: Int, plan: TrainingPlan) -> Double {
    step.train(x, y, updater: updater, epoch: epoch, totalEpochs: plan.epochs)
  }

  private func prepareWorkspaces(_ train: LabeledData<S>, batchSize: Int, shuffles: Bool) {
    if shuffles,
      shuffledFeatures.rows != train.count || shuffledFeatures.cols != train.features.cols
        || shuffledTargets.cols != train.targets.cols
    {
      shuffledFeatures = Matrix(rows: train.count, cols: train.features.cols)
      shuffledTargets = Matrix(rows: train.count, cols: train.targets.cols)
      order = Array(0..<train.count)
    }
  }

  /// Draws this epoch's order (Fisher–Yates from the run's generator) and gathers the rows into the
  /// epoch buffers, so every batch is a contiguous view.
  private func shuffled(_ train: LabeledData<S>) -> (Matrix<S>, Matrix<S>) {
    for i in 0..<order.count { order[i] = i }
    for i in stride(from: order.count - 1, to: 0, by: -1) {
      let j = Int(generator.next() % UInt64(i + 1))
      order.swapAt(i, j)
    }
    gatherRows(train.features, order, into: shuffledFeatures)
    gatherRows(train.targets, order, into: shuffledTargets)
    return (shuffledFeatures, shuffledTargets)
  }

  @_specialize(where S == Float)
  @_specialize(where S == Double)
  private func firstNonFiniteParameter() -> String? {
    for (index, value) in parameterValues.enumerated() {
      // 0·x is 0 for every finite x and NaN for NaN and ±∞, so the sum is 0 unless one is not finite
      // (one pass without a branch per element).
      // Four running sums, so the additions do not wait on each other.
      let base = value.base
      var sums = (S.zero, S.zero, S.zero, S.zero)
      var i = 0
      while i + 4 <= value.count {
        sums.0 += 0 * base[i]
        sums.1 += 0 * base[i + 1]
        sums.2 += 0 * base[i + 2]
        sums.3 += 0 * base[i + 3]
        i += 4
      }
      while i < value.count {
        sums.0 += 0 * base[i]
        i += 1
      }
      if sums.0 + sums.1 + sums.2 + sums.3 != 0 { return network.parameters[index].path }
    }
    return nil
  }

  private func saveBestParameters() {
    if bestParameters.count != parameterValues.count {
      bestParameters = parameterValues.map { $0.copy() }
    } else {
      for (saved, value) in zip(bestParameters, parameterValues) { saved.assign(value) }
    }
  }

  /// Gives early stopping the best epoch's parameters saved by an interrupted run (in
  /// `network.parameters` order, shaped like them), before `fit` resumes it.
  public func resumeBestParameters(_ values: [Matrix<S>]) {
    precondition(
      values.count == parameterValues.count
        && zip(values, parameterValues).allSatisfy { $0.shape == $1.shape },
      "resumeBestParameters: the values do not match the network's parameters")
    bestParameters = values.map { $0.copy() }
  }

  private func restoreBestParameters() {
    for (saved, value) in zip(bestParameters, parameterValues) { value.assign(saved) }
  }
}

/// Copies `source`'s rows in `order` into `destination` (same shape).
@_specialize(where S == Float)
@_specialize(where S == Double)
func gatherRows<S: NNScalar>(_ source: Matrix<S>, _ order: [Int], into destination: Matrix<S>) {
  let cols = source.cols
  for (row, index) in order.enumerated() {
    (destination.base + row * cols).update(from: source.base + index * cols, count: cols)
  }
}
