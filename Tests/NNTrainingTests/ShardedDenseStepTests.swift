import NNActivations
import NNKernels
import NNLayers
import NNLosses
import NNProtocols
import NNTestSupport
import NNTraining
import Testing

/// A one-hidden-layer network for the sharded step: inputs, hidden units and their activation,
/// outputs and theirs, whether a softmax layer follows, and the loss.
struct ShardCase: CustomStringConvertible, Sendable {
  var inputs: Int
  var hidden: Int
  var hiddenActivation: FusedActivationKernel
  var outputs: Int
  var outputActivation: FusedActivationKernel = .identity
  var softmax = false
  /// Units of a third dense layer (identity), 0 for none; it then gives the network's outputs.
  var thirdLayer = 0
  var classTargets = false

  var description: String {
    "\(inputs)-\(hidden)\(hiddenActivation)-\(outputs)\(outputActivation)"
      + (thirdLayer > 0 ? "-\(thirdLayer)" : "") + (softmax ? " softmax" : "")
      + (classTargets ? " cross_entropy" : " mse")
  }

  func loss() -> any Loss { classTargets ? CrossEntropy() : MeanSquaredError() }

  /// The network's outputs: the third layer's units, or the second's.
  var networkOutputs: Int { thirdLayer > 0 ? thirdLayer : outputs }

  func activation(_ kind: FusedActivationKernel) -> any Activation {
    switch kind {
    case .sigmoid: return Sigmoid()
    case .tanh: return Tanh()
    case .relu: return ReLU()
    case .identity: return Identity()
    }
  }

  /// A network with weights and biases drawn from `seed`.
  func network<S: NNScalar>(seed: UInt64, as type: S.Type) -> Network<S> {
    var generator = SeededGenerator(seed: seed)
    let w1 = randomMatrix(rows: hidden, cols: inputs, scale: 0.5, using: &generator, as: S.self)
    let b1 = randomMatrix(rows: 1, cols: hidden, scale: 0.3, using: &generator, as: S.self)
    let w2 = randomMatrix(rows: outputs, cols: hidden, scale: 0.3, using: &generator, as: S.self)
    let b2 = randomMatrix(rows: 1, cols: outputs, scale: 0.3, using: &generator, as: S.self)
    var layers: [any Layer<S>] = [
      Dense(weight: w1, bias: b1, activation: activation(hiddenActivation)),
      Dense(weight: w2, bias: b2, activation: activation(outputActivation)),
    ]
    if thirdLayer > 0 {
      let w3 = randomMatrix(
        rows: thirdLayer, cols: outputs, scale: 0.3, using: &generator, as: S.self)
      let b3 = randomMatrix(rows: 1, cols: thirdLayer, scale: 0.3, using: &generator, as: S.self)
      layers.append(Dense(weight: w3, bias: b3, activation: Identity()))
    }
    if softmax { layers.append(Softmax<S>(size: networkOutputs)) }
    return Network(layers: layers)
  }

  /// A batch and its targets: class indices for the cross-entropy, values in (0, 1) otherwise.
  func batch<S: NNScalar>(rows: Int, seed: UInt64, as type: S.Type) -> (Matrix<S>, Matrix<S>) {
    var generator = SeededGenerator(seed: seed)
    let x = randomMatrix(rows: rows, cols: inputs, using: &generator, as: S.self)
    guard classTargets else {
      let y = randomMatrix(
        rows: rows, cols: networkOutputs, scale: 0.5, using: &generator, as: S.self)
      for i in 0..<y.count { y.base[i] += 0.5 }
      return (x, y)
    }
    let y = Matrix<S>(rows: rows, cols: 1)
    for i in 0..<rows { y.base[i] = S(Int(generator.next() % UInt64(networkOutputs))) }
    return (x, y)
  }
}

let shardCases: [ShardCase] = [
  // W5's shape: 64 → 128 ReLU → 10, cross-entropy on the logits.
  ShardCase(inputs: 64, hidden: 128, hiddenActivation: .relu, outputs: 10, classTargets: true),
  ShardCase(inputs: 7, hidden: 40, hiddenActivation: .sigmoid, outputs: 3),
  ShardCase(inputs: 5, hidden: 33, hiddenActivation: .tanh, outputs: 4, outputActivation: .sigmoid),
  ShardCase(
    inputs: 9, hidden: 48, hiddenActivation: .identity, outputs: 2, outputActivation: .tanh),
  // A parameterless layer after the output layer (the tail runs on the calling thread).
  ShardCase(inputs: 6, hidden: 64, hiddenActivation: .relu, outputs: 5, softmax: true),
  // W3's shape, smaller: a third dense layer after the two sharded ones.
  ShardCase(
    inputs: 20, hidden: 48, hiddenActivation: .relu, outputs: 24, outputActivation: .relu,
    thirdLayer: 4, classTargets: true),
]

@Suite("ShardedDenseStep")
struct ShardedDenseStepTests {
  /// The sharded step's loss and gradients against the layer-by-layer step's, for 2 and 3 shards,
  /// within `tolerance` of each tensor's largest value; each shard's update runs once per step.
  func compareWithLayerByLayer<S: NNScalar>(
    _ shape: ShardCase, as type: S.Type, tolerance: Double
  ) throws {
    for threads in [2, 3] {
      let smallest = try smallestBatch(shape, threads: threads)
      for rows in [smallest, smallest + 7, smallest + 33] {
        let network = shape.network(seed: 3, as: S.self)
        let (x, y) = shape.batch(rows: rows, seed: UInt64(rows), as: S.self)
        let reference = referenceStep(network, shape.loss(), x, y)
        let step = try #require(shardedStep(network, shape.loss(), threads: threads))
        #expect(step.shards.count == min(threads, shape.hidden / 16))
        let updates = UnsafeMutablePointer<Int>.allocate(capacity: step.shards.count)
        defer { updates.deallocate() }
        updates.initialize(repeating: 0, count: step.shards.count)
        let value = step.step(x, y, loss: shape.loss()) { shard in updates[shard] += 1 }
        #expect((0..<step.shards.count).allSatisfy { updates[$0] == 1 })
        #expect(abs(value - reference.loss) <= tolerance * max(1, abs(reference.loss)))
        for (sharded, expected) in zip(gradients(network), reference.gradients) {
          let scale = expected.map(abs).max() ?? 0
          for (s, e) in zip(sharded, expected) {
            #expect(abs(s - e) <= tolerance * max(scale, 1e-300), "\(shape), rows \(rows)")
          }
        }
      }
    }
  }

  /// The smallest batch the step splits for `shape` on `threads` threads.
  func smallestBatch(_ shape: ShardCase, threads: Int) throws -> Int {
    let step = try #require(
      shardedStep(shape.network(seed: 0, as: Float.self), shape.loss(), threads: threads))
    return try #require((1...100_000).first { step.takes(rows: $0) })
  }

  /// Sums over the hidden units taken shard by shard: ~1e-15 relative each.
  @Test(arguments: shardCases)
  func matchesTheLayerByLayerStepInDouble(_ shape: ShardCase) throws {
    try compareWithLayerByLayer(shape, as: Double.self, tolerance: 1e-12)
  }

  /// Float rounding of sums of up to 128 terms, in another order.
  @Test(arguments: shardCases)
  func matchesTheLayerByLayerStepInFloat(_ shape: ShardCase) throws {
    try compareWithLayerByLayer(shape, as: Float.self, tolerance: 2e-5)
  }

  /// Every gradient the sharded step writes against central differences of the loss it returns.
  @Test(arguments: [shardCases[1], shardCases[2], shardCases[4], shardCases[5]])
  func gradientsMatchCentralDifferences(_ shape: ShardCase) throws {
    let network = shape.network(seed: 5, as: Double.self)
    let rows = try smallestBatch(shape, threads: 2)
    let (x, y) = shape.batch(rows: rows, seed: 8, as: Double.self)
    let step = try #require(shardedStep(network, shape.loss(), threads: 2))
    _ = step.step(x, y, loss: shape.loss()) { _ in }
    let analytic = gradients(network)
    let checker = GradientChecker()  // central differences, h = 1e-6
    for (index, entry) in network.parameters.enumerated() {
      let numerical = checker.numericalGradient(of: entry.parameter.value) {
        step.step(x, y, loss: shape.loss()) { _ in }
      }
      for (a, n) in zip(analytic[index], numerical) {
        #expect(abs(a - n) <= 1e-6 * abs(n) + 1e-8, "\(shape) \(entry.path): \(a) vs \(n)")
      }
    }
  }

  /// The same bits run after run, and whether the shards run on two threads or one after the
  /// other on the caller (the number of shards, not the threads that run them, fixes the sums).
  @Test func runsGiveTheSameBitsOnAnyThreadsThatRunTheShards() throws {
    let shape = shardCases[0]
    let network = shape.network(seed: 1, as: Float.self)
    let (x, y) = shape.batch(rows: 32, seed: 4, as: Float.self)
    let step = try #require(shardedStep(network, shape.loss(), threads: 2))
    let first = step.step(x, y, loss: shape.loss()) { _ in }
    let firstGradients = gradients(network)
    for _ in 0..<20 {
      let again = step.step(x, y, loss: shape.loss()) { _ in }
      #expect(again.bitPattern == first.bitPattern)
      #expect(gradients(network) == firstGradients)
    }
    // With one thread (for this test's thread only), `Kernels.runParts` runs both shards here.
    let inline = Kernels.withThreadCount(1) { step.step(x, y, loss: shape.loss()) { _ in } }
    #expect(inline.bitPattern == first.bitPattern)
    #expect(gradients(network) == firstGradients)
  }

  @Test func shardsAreWholeLinesOfUnitsAndTheirPiecesCoverEveryParameterOnce() throws {
    for (hidden, threads, expected) in [
      (128, 2, [0..<64, 64..<128]),
      (100, 4, [0..<32, 32..<64, 64..<80, 80..<100]),
      (40, 8, [0..<16, 16..<40]),
    ] as [(Int, Int, [Range<Int>])] {
      // With a third dense layer for 100 units: its parameters go to shard 0.
      let shape = ShardCase(
        inputs: 3, hidden: hidden, hiddenActivation: .relu, outputs: 4,
        thirdLayer: hidden == 100 ? 2 : 0)
      let network = shape.network(seed: 2, as: Float.self)
      let step = try #require(shardedStep(network, shape.loss(), threads: threads))
      #expect(step.shards == expected, "\(hidden) units on \(threads) threads")
      // Every element of every parameter belongs to exactly one shard's pieces.
      var owners: [String: [Int]] = [:]
      for entry in network.parameters {
        owners[entry.path] = Array(repeating: 0, count: entry.parameter.value.count)
      }
      for shard in step.shards.indices {
        for piece in step.parameters(ofShard: shard) {
          let entry = try #require(network.parameters.first { $0.path == piece.path })
          #expect(entry.parameter.value.base == piece.parameter.value.base)
          for element in piece.elements { owners[piece.path]![element] += 1 }
        }
      }
      #expect(owners.values.allSatisfy { $0.allSatisfy { $0 == 1 } })
    }
  }

  @Test func networksOutsideTheStepsReachAreDeclined() throws {
    var generator = SeededGenerator(seed: 1)
    func network(_ builders: [any LayerBuilder], inputs: Int = 8) throws -> Network<Float> {
      try Network<Float>(builders: builders, inputSize: inputs, generator: &generator)
    }
    let wide = try network([DenseBuilder(units: 64, activation: ReLU()), DenseBuilder(units: 3)])
    #expect(shardedStep(wide, MeanSquaredError(), threads: 2) != nil)
    // One thread, or too few units for two shards of 16.
    #expect(shardedStep(wide, MeanSquaredError(), threads: 1) == nil)
    let narrow = try network([DenseBuilder(units: 31), DenseBuilder(units: 3)])
    #expect(shardedStep(narrow, MeanSquaredError(), threads: 2) == nil)
    // An activation without a fused kernel, a layer without bias, a single layer.
    let elu = try network([DenseBuilder(units: 64, activation: ELU()), DenseBuilder(units: 3)])
    #expect(shardedStep(elu, MeanSquaredError(), threads: 2) == nil)
    let unbiased = try network([DenseBuilder(units: 64), DenseBuilder(units: 3, useBias: false)])
    #expect(shardedStep(unbiased, MeanSquaredError(), threads: 2) == nil)
    let single = try network([DenseBuilder(units: 64)])
    #expect(shardedStep(single, MeanSquaredError(), threads: 2) == nil)
  }

  @Test func batchesTooSmallToSplitAreLeftToTheLayerByLayerStep() throws {
    // W5's shape: 128 · (64 + 10) / 2 = 4 736 weights per shard, 3 multiply-adds each per sample.
    let shape = shardCases[0]
    let step = try #require(
      shardedStep(shape.network(seed: 1, as: Float.self), shape.loss(), threads: 2))
    let rows = (ShardedDenseStep<Float>.minimumShardWork + 3 * 4736 - 1) / (3 * 4736)
    #expect(!step.takes(rows: rows - 1))
    #expect(step.takes(rows: rows))
    #expect(!step.takes(rows: 0))
  }
}
