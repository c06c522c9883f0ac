import NNKernels
import NNLayers
import NNOptimizers
import NNProtocols

/// A training step of a network whose first two layers are dense, the first layer's units split
/// into shards that run on separate cores at the same time (the trainer's path for W5- and
/// W3-sized networks).
///
/// Shard `s` owns hidden units `u₀ ..< u₁`: the rows `u₀ ..< u₁` of `W₁` and `b₁`, and the columns
/// `u₀ ..< u₁` of `W₂`. Each hidden unit's work needs only its own weights, so a shard computes
/// ```
/// forward   Z₁ˢ = X·W₁ˢᵀ + b₁ˢ,  A₁ˢ = g₁(Z₁ˢ),  Pˢ = A₁ˢ·W₂ˢᵀ        (its share of Z₂)
/// ```
/// and the shards meet once: `Z₂ = Σₛ Pˢ + b₂`, `A₂ = g₂(Z₂)`, the layers after the second (any
/// kind: a softmax, more dense layers; run on the calling thread) and the loss give `dA₂`, then
/// `dZ₂ = dA₂ ∘ g₂'(Z₂)` and `db₂ = Σ dZ₂`.
/// Back on the shards:
/// ```
/// backward  dW₂ˢ = dZ₂ᵀ·A₁ˢ,  dA₁ˢ = dZ₂·W₂ˢ,  dZ₁ˢ = dA₁ˢ ∘ g₁'(Z₁ˢ),  dW₁ˢ = dZ₁ˢᵀ·X,  db₁ˢ = Σ dZ₁ˢ
/// ```
/// and each shard then updates its own parameters (the `update` callback), so a shard's weights,
/// gradients and optimizer state stay in one core's cache from step to step: per step the cores
/// exchange only the `m × outputs` partial sums `Pˢ` and `dZ₂`. Shard 0 also updates `b₂` and the
/// parameters of the layers after the second. These are the layer-by-layer
/// equations with the sums over hidden units of `Z₂` taken shard by shard, so the result equals
/// the layer-by-layer step's up to rounding, and is the same bits run after run for a given number
/// of shards (which is fixed when the step is made, from `Kernels.threadCount`).
///
/// `StepPlanner` decides when a network qualifies (the first two layers `Dense` with biases and
/// fused activations, at least two threads, a first layer wide enough for two shards of 16 units, an
/// optimizer that updates elementwise without clipping) and makes the step. A batch too small for
/// splitting to pay (`takes(rows:)`) runs the reference step. Shard boundaries fall on multiples of
/// 16 units, so that no two shards write the same cache line of `W₂` or its gradient. Each shard's `Z₁ˢ`, `A₁ˢ` and `dA₁ˢ` are its own
/// matrices, and a shard's passes work on raw pointers taken on the calling thread: a reference
/// counted on one Swift object from two threads would move its cache line between the cores at
/// every count. The layers' saved `Z` and `A` are not updated (as with `FusedDenseStep`).
///
/// When another process keeps the other cores busy, the shards run faster one after another on the
/// calling thread: `ShardSchedule` times both ways every few hundred steps and takes the faster
/// (the results are the same bits either way).
public final class ShardedDenseStep<S: NNScalar>: TrainingStep {
  /// The hidden layer and the output layer.
  public let hidden: Dense<S>
  public let output: Dense<S>
  /// The layers after the second, and their parameters with their paths in the network.
  public let tail: [any Layer<S>]
  private let tailParameters: [(path: String, parameter: Parameter<S>)]
  /// Each shard's hidden units.
  public let shards: [Range<Int>]
  /// The paths of the two layers' parameters in the network (`layers.0.weight`, …).
  private let hiddenPaths: (weight: String, bias: String)
  private let outputPaths: (weight: String, bias: String)
  private let outputKernel: FusedActivationKernel
  private let hiddenBias: Parameter<S>
  private let outputBias: Parameter<S>
  /// The sizes and activation every shard's passes use.
  private let shape: ShardShape
  /// Per shard, the pointers its passes use (the workspaces' re-taken before each step).
  private let buffers: UnsafeMutablePointer<ShardBuffers<S>>

  // Workspaces: per shard Z₁ˢ, A₁ˢ, dA₁ˢ (becoming dZ₁ˢ in place) and Pˢ; shared Z₂, A₂, dA of the
  // last layer and dZ₂. Sized for the largest batch, so steps allocate nothing after the first.
  private var hiddenSums: [Workspace<S>]
  private var hiddenOutputs: [Workspace<S>]
  private var hiddenGradients: [Workspace<S>]
  private var partialSums: [Workspace<S>]
  private var outputSums: Workspace<S>
  private var outputValues: Workspace<S>
  private var lastGradient: Workspace<S>
  private var outputSumGradient: Workspace<S>
  /// Whether the shards run on the pool or here, from timing both ways now and then.
  private var schedule = ShardSchedule()
  /// The step for batches too small to split.
  private let reference: ReferenceStep<S>
  /// Each shard's share of the optimizer update (made on the first step, remade when the updater or
  /// its state is replaced).
  private var shardUpdates: [ParameterUpdater<S>.Part] = []

  /// The smallest number of multiply-adds per shard and step for which splitting pays (see
  /// `takes(rows:)`).
  public static var minimumShardWork: Int { 1 << 16 }

  /// The number of shards a first layer of `units` units is split into on `threads` threads: one
  /// per thread, each at least 16 units, at most 32 (fewer than 2: the step does not qualify).
  public static func shardCount(units: Int, threads: Int) -> Int {
    Swift.min(threads, units / unitsPerLine, 32)
  }

  /// The sharded step for `network` trained with `loss`, on `threads` shards;
  /// `StepPlanner.failedCondition(.sharded)` is `nil` for them.
  init(network: Network<S>, loss: any Loss, threads: Int) {
    let hidden = network.layers[0] as! Dense<S>
    let output = network.layers[1] as! Dense<S>
    let hiddenKernel = hidden.activation.fusedKernel!
    let outputKernel = output.activation.fusedKernel!
    let hiddenBias = hidden.bias!
    let outputBias = output.bias!
    let units = hidden.outputSize
    let count = Self.shardCount(units: units, threads: threads)
    precondition(count >= 2, "sharded step: \(units) units on \(threads) threads make one shard")
    reference = ReferenceStep(network: network, loss: loss)
    self.hidden = hidden
    self.output = output
    tail = Array(network.layers.dropFirst(2))
    tailParameters = network.layers.indices.dropFirst(2).flatMap { index in
      network.layers[index].parameters.map { (path: "layers.\(index).\($0.name)", parameter: $0) }
    }
    self.outputKernel = outputKernel
    self.hiddenBias = hiddenBias
    self.outputBias = outputBias
    hiddenPaths = ("layers.0.\(hidden.weight.name)", "layers.0.\(hiddenBias.name)")
    outputPaths = ("layers.1.\(output.weight.name)", "layers.1.\(outputBias.name)")
    shape = ShardShape(
      inputs: hidden.inputSize, width: units, outputs: output.outputSize, kernel: hiddenKernel)
    // Whole lines of units per shard, the remainder spread one line at a time from the first.
    let lines = units / Self.unitsPerLine
    var ranges: [Range<Int>] = []
    var start = 0
    for shard in 0..<count {
      let width = (lines / count + (shard < lines % count ? 1 : 0)) * Self.unitsPerLine
      let end = shard == count - 1 ? units : start + width
      ranges.append(start..<end)
      start = end
    }
    shards = ranges
    hiddenSums = ranges.map { Workspace(cols: $0.count) }
    hiddenOutputs = ranges.map { Workspace(cols: $0.count) }
    hiddenGradients = ranges.map { Workspace(cols: $0.count) }
    partialSums = ranges.map { _ in Workspace(cols: output.outputSize) }
    outputSums = Workspace(cols: output.outputSize)
    outputValues = Workspace(cols: output.outputSize)
    lastGradient = Workspace(cols: network.outputSize)
    outputSumGradient = Workspace(cols: output.outputSize)
    // The layers' matrices never move: their shard pointers are taken once.
    buffers = .allocate(capacity: count)
    let inputs = hidden.inputSize
    for (shard, range) in ranges.enumerated() {
      let first = range.lowerBound
      buffers.advanced(by: shard).initialize(
        to: ShardBuffers(
          units: range.count,
          hiddenWeight: hidden.weight.value.base + first * inputs,
          hiddenWeightGradient: hidden.weight.gradient.base + first * inputs,
          hiddenBias: hiddenBias.value.base + first,
          hiddenBiasGradient: hiddenBias.gradient.base + first,
          outputWeight: output.weight.value.base + first,
          outputWeightGradient: output.weight.gradient.base + first))
    }
  }

  deinit {
    buffers.deinitialize(count: shards.count)
    buffers.deallocate()
  }

  /// Units per 64-byte line of a `Float` row (a `Double` row's line holds 8: 16 keeps both apart).
  public static var unitsPerLine: Int { 16 }

  public var kind: StepKind { .sharded }

  /// The step on a batch: split over the shards, each shard updating its own parameters (its share
  /// of `updater`'s work, `ParameterUpdater.update(_:step:learningRate:)`); a batch too small to
  /// split (`takes(rows:)`) runs the reference step.
  public func train(
    _ x: Matrix<S>, _ y: Matrix<S>, updater: ParameterUpdater<S>, epoch: Int, totalEpochs: Int
  ) -> Double {
    guard takes(rows: x.rows) else {
      return reference.train(x, y, updater: updater, epoch: epoch, totalEpochs: totalEpochs)
    }
    if shardUpdates.isEmpty || !updater.isCurrent(shardUpdates[0]) {
      shardUpdates = updater.parts(shards.indices.map { parameters(ofShard: $0) })
    }
    let begun = updater.beginStep(epoch: epoch, totalEpochs: totalEpochs)
    let updates = shardUpdates
    return step(x, y, loss: reference.loss) { shard in
      updater.update(updates[shard], step: begun.step, learningRate: begun.learningRate)
    }
  }

  /// The parameter elements shard `shard` updates, with their paths in the network: its rows of
  /// `W₁` and `b₁`, its columns of `W₂` (one range per row of `W₂`), and for shard 0 also `b₂` and
  /// every parameter of the later layers.
  public func parameters(
    ofShard shard: Int
  ) -> [(path: String, parameter: Parameter<S>, elements: Range<Int>)] {
    let units = shards[shard]
    let inputs = hidden.inputSize
    var ranges: [(path: String, parameter: Parameter<S>, elements: Range<Int>)] = [
      (hiddenPaths.weight, hidden.weight, units.lowerBound * inputs..<units.upperBound * inputs),
      (hiddenPaths.bias, hiddenBias, units),
    ]
    let width = hidden.outputSize
    for row in 0..<output.outputSize {
      let start = row * width
      ranges.append(
        (outputPaths.weight, output.weight, start + units.lowerBound..<start + units.upperBound))
    }
    if shard == 0 {
      ranges.append((outputPaths.bias, outputBias, 0..<output.outputSize))
      for (path, parameter) in tailParameters {
        ranges.append((path, parameter, 0..<parameter.value.count))
      }
    }
    return ranges
  }

  /// Whether a batch of `rows` samples is large enough for splitting to pay: at least
  /// `minimumShardWork` multiply-adds per shard (a smaller batch takes the layer-by-layer step).
  public func takes(rows: Int) -> Bool {
    let weightsPerShard = shape.width * (shape.inputs + shape.outputs) / shards.count
    return rows > 0 && 3 * rows * weightsPerShard >= Self.minimumShardWork
  }

  /// Runs the step on a batch (`x` `[m, inputs]`, `y` the loss's targets; `takes(rows: m)`) and,
  /// once a shard's gradients are written, `update(shard)` on the shard's thread. Returns the
  /// batch's loss before any update.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func step(
    _ x: Matrix<S>, _ y: Matrix<S>, loss: any Loss, update: (Int) -> Void
  ) -> Double {
    let m = x.rows
    precondition(takes(rows: m), "sharded step: a batch of \(m) rows is too small to split")
    precondition(
      x.cols == shape.inputs, "sharded step: \(x.cols) features, expected \(shape.inputs)")
    // Grow the shards' workspaces here, on one thread, and hand the shards their pointers.
    for shard in shards.indices {
      buffers[shard].hiddenSums = hiddenSums[shard].rows(m).base
      buffers[shard].hiddenOutputs = hiddenOutputs[shard].rows(m).base
      buffers[shard].hiddenGradients = hiddenGradients[shard].rows(m).base
      buffers[shard].partialSums = partialSums[shard].rows(m).base
    }
    let buffers = buffers
    let shape = shape
    let input = UnsafePointer(x.base)

    let start = monotonicSeconds()
    let onPool = schedule.runsOnPool
    runShards(onPool) { shard in
      Self.forward(buffers[shard], shape, input, rows: m)
    }

    // Z₂ = Σₛ Pˢ + b₂ (shard by shard, in order), A₂ = g₂(Z₂); then the later layers and the loss.
    let outputs = shape.outputs
    let z2 = outputSums.rows(m)
    z2.base.update(from: buffers[0].partialSums, count: z2.count)
    for shard in 1..<shards.count {
      let partial = buffers[shard].partialSums
      for i in 0..<z2.count { z2.base[i] += partial[i] }
    }
    let a2 = outputKernel == .identity ? z2 : outputValues.rows(m)
    S.biasActivation(
      z2.base, bias: outputBias.value.base, a2.base, rows: m, cols: outputs, kernel: outputKernel)
    var prediction = a2
    for layer in tail { prediction = layer.forward(prediction, phase: .training) }
    let dPrediction = lastGradient.rows(m)
    let value = loss.gradient(predictions: prediction, targets: y, into: dPrediction)
    var dA2 = dPrediction
    for layer in tail.reversed() { dA2 = layer.backward(dA2, needsInputGradient: true) }
    // dZ₂ = dA₂ ∘ g₂'(Z₂) (dA₂ itself for the identity), db₂ = Σ dZ₂.
    let dZ2 = outputKernel == .identity ? dA2 : outputSumGradient.rows(m)
    S.activationBackward(
      z: z2.base, a: a2.base, dA: dA2.base, dZ: dZ2.base, count: dZ2.count, kernel: outputKernel)
    S.sumRows(dZ2.base, rows: m, cols: outputs, ld: outputs, into: outputBias.gradient.base)

    let outputGradient = UnsafePointer(dZ2.base)
    runShards(onPool) { shard in
      Self.backward(buffers[shard], shape, input, outputGradient, rows: m)
      update(shard)
    }
    schedule.record(seconds: monotonicSeconds() - start)
    return value
  }

  /// `body(shard)` for every shard: on the pool's threads (shard `s` on thread `s`), or one after
  /// another on this thread.
  private func runShards(_ onPool: Bool, _ body: (Int) -> Void) {
    if onPool {
      Kernels.runParts(shards.count, body)
    } else {
      for shard in shards.indices { body(shard) }
    }
  }

  /// A shard's forward pass: `Z₁ˢ = X·W₁ˢᵀ + b₁ˢ`, `A₁ˢ = g₁(Z₁ˢ)`, `Pˢ = A₁ˢ·W₂ˢᵀ`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  private static func forward(
    _ shard: ShardBuffers<S>, _ shape: ShardShape, _ x: UnsafePointer<S>, rows m: Int
  ) {
    let units = shard.units
    S.gemm(
      transposeA: false, transposeB: true, m: m, n: units, k: shape.inputs, alpha: 1,
      a: x, lda: shape.inputs, b: shard.hiddenWeight, ldb: shape.inputs,
      beta: 0, c: shard.hiddenSums, ldc: units)
    S.biasActivation(
      shard.hiddenSums, bias: shard.hiddenBias, shard.hiddenOutputs, rows: m, cols: units,
      kernel: shape.kernel)
    S.gemm(
      transposeA: false, transposeB: true, m: m, n: shape.outputs, k: units, alpha: 1,
      a: shard.activations(shape), lda: units, b: shard.outputWeight, ldb: shape.width,
      beta: 0, c: shard.partialSums, ldc: shape.outputs)
  }

  /// A shard's backward pass from `dZ₂`: `dW₂ˢ`, `dA₁ˢ`, `dZ₁ˢ` (in place of `dA₁ˢ`), `dW₁ˢ`, `db₁ˢ`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  private static func backward(
    _ shard: ShardBuffers<S>, _ shape: ShardShape, _ x: UnsafePointer<S>,
    _ dZ2: UnsafePointer<S>, rows m: Int
  ) {
    let units = shard.units
    // dW₂ˢ = dZ₂ᵀ·A₁ˢ: the shard's columns of dW₂.
    S.gemm(
      transposeA: true, transposeB: false, m: shape.outputs, n: units, k: m, alpha: 1,
      a: dZ2, lda: shape.outputs, b: shard.activations(shape), ldb: units,
      beta: 0, c: shard.outputWeightGradient, ldc: shape.width)
    // dA₁ˢ = dZ₂·W₂ˢ, then dZ₁ˢ = dA₁ˢ ∘ g₁'(Z₁ˢ) in place.
    S.gemm(
      transposeA: false, transposeB: false, m: m, n: units, k: shape.outputs, alpha: 1,
      a: dZ2, lda: shape.outputs, b: shard.outputWeight, ldb: shape.width,
      beta: 0, c: shard.hiddenGradients, ldc: units)
    S.activationBackward(
      z: shard.hiddenSums, a: shard.hiddenOutputs, dA: shard.hiddenGradients,
      dZ: shard.hiddenGradients, count: m * units, kernel: shape.kernel)
    // dW₁ˢ = dZ₁ˢᵀ·X: the shard's rows of dW₁; db₁ˢ = Σ dZ₁ˢ.
    S.gemm(
      transposeA: true, transposeB: false, m: units, n: shape.inputs, k: m, alpha: 1,
      a: shard.hiddenGradients, lda: units, b: x, ldb: shape.inputs,
      beta: 0, c: shard.hiddenWeightGradient, ldc: shape.inputs)
    S.sumRows(
      shard.hiddenGradients, rows: m, cols: units, ld: units, into: shard.hiddenBiasGradient)
  }
}

/// The sizes of a sharded network and its hidden activation.
private struct ShardShape {
  /// Features in, hidden units in all, outputs of the second layer.
  let inputs: Int
  let width: Int
  let outputs: Int
  /// The hidden layer's activation.
  let kernel: FusedActivationKernel
}

/// One shard's memory, as pointers: its parameters' and gradients' share (fixed) and its workspaces
/// (set for each step's batch).
private struct ShardBuffers<S: NNScalar> {
  /// How many hidden units the shard has.
  let units: Int
  /// Its rows of `W₁` and `dW₁` (`units × inputs`, contiguous), of `b₁` and `db₁`, and its first
  /// column of `W₂` and `dW₂` (rows `width` apart).
  let hiddenWeight: UnsafeMutablePointer<S>
  let hiddenWeightGradient: UnsafeMutablePointer<S>
  let hiddenBias: UnsafeMutablePointer<S>
  let hiddenBiasGradient: UnsafeMutablePointer<S>
  let outputWeight: UnsafeMutablePointer<S>
  let outputWeightGradient: UnsafeMutablePointer<S>
  /// `Z₁ˢ`, `A₁ˢ`, `dA₁ˢ` (`m × units`) and `Pˢ` (`m × outputs`).
  var hiddenSums: UnsafeMutablePointer<S>
  var hiddenOutputs: UnsafeMutablePointer<S>
  var hiddenGradients: UnsafeMutablePointer<S>
  var partialSums: UnsafeMutablePointer<S>

  init(
    units: Int, hiddenWeight: UnsafeMutablePointer<S>,
    hiddenWeightGradient: UnsafeMutablePointer<S>, hiddenBias: UnsafeMutablePointer<S>,
    hiddenBiasGradient: UnsafeMutablePointer<S>, outputWeight: UnsafeMutablePointer<S>,
    outputWeightGradient: UnsafeMutablePointer<S>
  ) {
    self.units = units
    self.hiddenWeight = hiddenWeight
    self.hiddenWeightGradient = hiddenWeightGradient
    self.hiddenBias = hiddenBias
    self.hiddenBiasGradient = hiddenBiasGradient
    self.outputWeight = outputWeight
    self.outputWeightGradient = outputWeightGradient
    hiddenSums = hiddenWeight
    hiddenOutputs = hiddenWeight
    hiddenGradients = hiddenWeight
    partialSums = hiddenWeight
  }

  /// `A₁ˢ`, which is `Z₁ˢ` itself for the identity.
  func activations(_ shape: ShardShape) -> UnsafeMutablePointer<S> {
    shape.kernel == .identity ? hiddenSums : hiddenOutputs
  }
}
