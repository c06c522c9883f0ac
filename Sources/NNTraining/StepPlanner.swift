import NNKernels
import NNLayers
import NNOptimizers
import NNProtocols

/// Chooses how a network's training steps run: the one place that knows when each step qualifies.
///
/// | step        | qualifies when (checked in this order; the first that fails is reported)            |
/// |-------------|--------------------------------------------------------------------------------------|
/// | `reference` | always (`ReferenceStep`, the tutorial, layer by layer)                                |
/// | `fused`     | 1. every layer is `Dense` (no dropout, softmax or other layer)                        |
/// |             | 2. every layer's activation has a fused kernel (identity, sigmoid, tanh, relu)        |
/// |             | 3. the loss is a scaled sum of squared errors (`Loss.squaredErrorScale`: half_mse, half_sse, mse) |
/// |             | 4. the sizes are within the kernel's limits (`Kernels.networkStepFits`: at most `networkStepMaxLayers` layers, `networkStepMaxWidth` units in a layer, `networkStepMaxWeights` weights) |
/// | `sharded`   | 1. at least 2 threads                                                                 |
/// |             | 2. the optimizer updates elementwise and there is no gradient clipping (`ParameterUpdater.updatesInParts`) |
/// |             | 3. the network has at least two layers                                                |
/// |             | 4. the first two layers are `Dense` with biases, with activations that have fused kernels (layer 0, then layer 1) |
/// |             | 5. the first layer has units for 2 shards of `ShardedDenseStep.unitsPerLine` (16)      |
///
/// `auto` (no request) takes the first that qualifies of `fused`, `sharded`, `reference`: the fused
/// kernel wins for the tutorials' small networks, the sharded step for wide first layers (W3, W5).
/// The layers after the sharded step's first two may be of any kind; a batch too small for splitting
/// to pay (`ShardedDenseStep.takes(rows:)`) runs the reference step. The fused step falls back to the
/// reference step for a batch whose work memory the kernel cannot get. Every step's results equal
/// the reference step's up to rounding, and are the same bits run after run (the sharded step's for
/// a given thread count).
public struct StepPlanner<S: NNScalar> {
  /// The network to train, the loss it is trained on, and the optimizer's driver.
  public let network: Network<S>
  public let loss: any Loss
  public let updater: ParameterUpdater<S>
  /// The threads the sharded step splits over (fixed for the run, so that its results are the same
  /// bits run after run).
  public let threads: Int

  public init(
    network: Network<S>, loss: any Loss, updater: ParameterUpdater<S>,
    threads: Int = Kernels.threadCount
  ) {
    self.network = network
    self.loss = loss
    self.updater = updater
    self.threads = threads
  }

  /// The first condition of the table that `kind` fails for this network, loss, optimizer and
  /// thread count, in words; `nil` when `kind` qualifies.
  public func failedCondition(_ kind: StepKind) -> String? {
    switch kind {
    case .reference: return nil
    case .fused: return fusedFailure()
    case .sharded: return shardedFailure()
    }
  }

  private func fusedFailure() -> String? {
    for (index, layer) in network.layers.enumerated() {
      guard let dense = layer as? Dense<S> else {
        return "every layer must be dense, and layer \(index) is \(layer.kind)"
      }
      guard dense.activation.fusedKernel != nil else {
        return "every activation must have a fused kernel (identity, sigmoid, tanh, relu), and"
          + " layer \(index)'s \(dense.activation.name) has none"
      }
    }
    guard loss.squaredErrorScale(rows: 1, cols: network.outputSize) != nil else {
      return "the loss must be a scaled sum of squared errors (half_mse, half_sse, mse), and"
        + " \(loss.name) is not"
    }
    let sizes = [network.inputSize] + network.layers.map(\.outputSize)
    guard Kernels.networkStepFits(sizes: sizes) else {
      return "the network must be within the fused kernel's limits (at most"
        + " \(Kernels.networkStepMaxLayers) layers, \(Kernels.networkStepMaxWidth) units in a"
        + " layer, \(Kernels.networkStepMaxWeights) weights), and"
        + " \(sizes.map(String.init).joined(separator: "-")) is not"
    }
    return nil
  }

  private func shardedFailure() -> String? {
    guard threads >= 2 else {
      return "it needs at least 2 threads, and the run has \(threads)"
    }
    guard updater.updatesInParts else {
      return "the optimizer must update elementwise without gradient clipping, and"
        + (updater.clipNorm != 0
          ? " clip_norm is \(formatReal(updater.clipNorm))"
          : " \(updater.optimizer.name) does not")
    }
    guard network.layers.count >= 2 else {
      return "the network must have at least two layers, and it has \(network.layers.count)"
    }
    for index in 0..<2 {
      let layer = network.layers[index]
      guard let dense = layer as? Dense<S>, dense.bias != nil else {
        return "the first two layers must be dense with biases, and layer \(index) is"
          + (layer is Dense<S> ? " dense without a bias" : " \(layer.kind)")
      }
      guard dense.activation.fusedKernel != nil else {
        return "the first two layers' activations must have fused kernels (identity, sigmoid,"
          + " tanh, relu), and layer \(index)'s \(dense.activation.name) has none"
      }
    }
    let units = network.layers[0].outputSize
    guard ShardedDenseStep<S>.shardCount(units: units, threads: threads) >= 2 else {
      let line = ShardedDenseStep<S>.unitsPerLine
      return "the first layer must have at least \(2 * line) units (2 shards of \(line)), and it"
        + " has \(units)"
    }
    return nil
  }

  /// The step `kind`, made for this network (its `failedCondition` must be `nil`).
  public func make(_ kind: StepKind) -> any TrainingStep<S> {
    precondition(failedCondition(kind) == nil, "step planner: \(kind) does not qualify")
    switch kind {
    case .reference: return ReferenceStep(network: network, loss: loss)
    case .fused: return FusedDenseStep(network: network, loss: loss)
    case .sharded: return ShardedDenseStep(network: network, loss: loss, threads: threads)
    }
  }

  /// The candidates `auto` tries, in order.
  public static var automaticOrder: [StepKind] { [.fused, .sharded, .reference] }

  /// The plan for `request` (`nil`: `auto`, the first qualifying step of `automaticOrder`).
  ///
  /// - Throws: `StepRefusal` when the requested step does not qualify, naming the failed condition.
  public func plan(_ request: StepKind? = nil) throws(StepRefusal) -> StepPlan<S> {
    if let request {
      if let condition = failedCondition(request) {
        throw StepRefusal(step: request, condition: condition)
      }
      return StepPlan(step: make(request), rejected: [])
    }
    var rejected: [StepRefusal] = []
    for kind in Self.automaticOrder {
      if let condition = failedCondition(kind) {
        rejected.append(StepRefusal(step: kind, condition: condition))
        continue
      }
      return StepPlan(step: make(kind), rejected: rejected)
    }
    preconditionFailure("step planner: the reference step always qualifies")
  }
}

/// The planner's choice: the step, and each candidate tried before it with the condition it failed.
public struct StepPlan<S: NNScalar> {
  /// The step the trainer takes.
  public let step: any TrainingStep<S>
  /// The candidates tried before it (for `auto`), each with the condition it failed.
  public let rejected: [StepRefusal]
}

/// A step that does not qualify, and the first condition of `StepPlanner`'s table it failed.
public struct StepRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// The step that does not qualify.
  public var step: StepKind
  /// The condition it failed, in words (`"it needs at least 2 threads, and the run has 1"`).
  public var condition: String

  public init(step: StepKind, condition: String) {
    self.step = step
    self.condition = condition
  }

  public var description: String {
    "the \(step.rawValue) step does not qualify: \(condition)"
  }
}
