import Foundation
import NNLayers
import NNModelLanguage
import NNOptimizers
import NNPipeline
import NNProtocols
import NNTestSupport
import NNTraining
import Testing

/// The tutorials' training runs through the library API, and the trainer's own behaviour.
struct TrainerTests {
  let registry = ComponentRegistry.standard()

  func reference(
    _ kind: ComponentKind, _ name: String, _ options: [(key: String, value: OptionValue)] = []
  ) throws -> ComponentReference {
    try registry.reference(kind, name, options)
  }

  func dense(
    _ units: Int, _ activation: String, bias: Bool = true, std: Double = 0.2
  ) throws -> any LayerBuilder {
    let normal = try reference(.initializer, "normal", [("std", .real(std))])
    return try registry.makeLayer(
      reference(
        .layer, "dense",
        [
          ("units", .integer(units)),
          ("activation", .component(reference(.activation, activation))),
          ("bias", .boolean(bias)), ("init", .component(normal)), ("bias_init", .component(normal)),
        ]))
  }

  func trainer(
    _ builders: [any LayerBuilder], inputs: Int, loss: String, lr: Double, seed: UInt64 = 0,
    step: StepKind? = nil
  ) throws -> Trainer<Double> {
    var generator = SeededGenerator(seed: seed)
    let network = try Network<Double>(builders: builders, inputSize: inputs, generator: &generator)
    let optimizer = try registry.makeOptimizer(reference(.optimizer, "sgd", [("lr", .real(lr))]))
    return try Trainer(
      network: network, loss: try registry.makeLoss(reference(.loss, loss)),
      updater: ParameterUpdater(optimizer: optimizer), generator: generator, step: step)
  }

  /// x = −5, −4.9, …, 4.9 and y = sin x, as the first tutorial builds them.
  func sineData() -> LabeledData<Double> {
    let xs = (0..<100).map { -5 + 0.1 * Double($0) }
    return LabeledData(
      features: Matrix(rows: 100, cols: 1, scalars: xs),
      targets: Matrix(rows: 100, cols: 1, scalars: xs.map { sin($0) }))
  }

  /// The sine network trains through the fused step, and 2000 epochs of it land where the
  /// layer-by-layer step does: the same equations, rounded in another order.
  @Test func smallNetworksTrainThroughTheFusedStepToTheSameWeights() throws {
    let layers = { [try self.dense(20, "sigmoid"), try self.dense(1, "identity")] }
    let fused = try trainer(layers(), inputs: 1, loss: "half_mse", lr: 0.1)
    let plain = try trainer(
      layers(), inputs: 1, loss: "half_mse", lr: 0.1, step: .reference)
    #expect(fused.step.kind == .fused)
    #expect(plain.step.kind == .reference)
    let data = sineData()
    let fusedOutcome = try fused.fit(data, plan: TrainingPlan(epochs: 2000))
    let plainOutcome = try plain.fit(data, plan: TrainingPlan(epochs: 2000))
    for (a, b) in zip(fusedOutcome.history, plainOutcome.history) {
      #expect(abs(a.loss - b.loss) <= 1e-9 * b.loss, "epoch \(a.epoch)")
    }
    for (a, b) in zip(fused.network.parameters, plain.network.parameters) {
      for (x, y) in zip(a.parameter.value.buffer, b.parameter.value.buffer) {
        #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(a.path)")
      }
    }
    // A layer the kernel does not have (dropout) keeps the layer-by-layer step.
    let withDropout = try trainer(
      [
        try dense(8, "sigmoid"), try registry.makeLayer(reference(.layer, "dropout")),
        try dense(1, "identity"),
      ], inputs: 1, loss: "half_mse", lr: 0.1)
    #expect(withDropout.step.kind == .reference)
  }

  @Test func firstTutorialFitsTheSineCurve() throws {
    let trainer = try trainer(
      [try dense(20, "sigmoid"), try dense(1, "identity")], inputs: 1, loss: "half_mse", lr: 0.1)
    let data = sineData()
    let initial = trainer.evaluate(data).loss
    let outcome = try trainer.fit(data, plan: TrainingPlan(epochs: 2000))
    let final = trainer.evaluate(data).loss
    #expect(outcome.stopReason == .completed)
    #expect(outcome.history.count == 2000)
    #expect(final < 0.02)
    #expect(final * 10 < initial)
    // The recorded loss falls: the last epoch's is well below the first's.
    #expect(outcome.history.last!.loss < outcome.history.first!.loss / 10)
  }

  @Test func secondTutorialLearnsXNORWithoutBiases() throws {
    // Inputs with a constant-1 column instead of biases; target 1 when the two inputs are equal.
    let inputs: [[Double]] = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    let data = LabeledData(
      features: Matrix(inputs), targets: Matrix(rows: 4, cols: 1, scalars: [1, 0, 0, 1]))
    let trainer = try trainer(
      [try dense(4, "sigmoid", bias: false, std: 1), try dense(1, "sigmoid", bias: false, std: 1)],
      inputs: 3, loss: "half_sse", lr: 1)
    #expect(trainer.network.parameters.map(\.path) == ["layers.0.weight", "layers.1.weight"])
    _ = try trainer.fit(data, plan: TrainingPlan(epochs: 10_000))
    let outputs = trainer.network.predict(data.features).scalars
    #expect(outputs[0] > 0.5 && outputs[3] > 0.5, "equal inputs → 1: \(outputs)")
    #expect(outputs[1] < 0.5 && outputs[2] < 0.5, "different inputs → 0: \(outputs)")
  }

  @Test func sameSeedGivesBitIdenticalRuns() throws {
    func run() throws -> ([Double], [Double]) {
      let trainer = try trainer(
        [try dense(8, "tanh"), try dense(1, "identity")], inputs: 1, loss: "mse", lr: 0.05, seed: 7)
      let outcome = try trainer.fit(sineData(), plan: TrainingPlan(epochs: 20, batchSize: 16))
      return (outcome.history.map(\.loss), trainer.network.parameters[0].parameter.value.scalars)
    }
    let (lossesA, weightsA) = try run()
    let (lossesB, weightsB) = try run()
    #expect(lossesA == lossesB)
    #expect(weightsA == weightsB)
  }

  /// A 6-96-3 network (too wide for the fused step) trained by Adam (clipped or not) on `threads`
  /// threads, by `step` (`nil`: the planner's choice).
  func wideTrainer(
    threads: Int, step: StepKind? = nil, clipNorm: Double = 0
  ) throws -> Trainer<Double> {
    var generator = SeededGenerator(seed: 3)
    let network = try Network<Double>(
      builders: [try dense(96, "relu"), try dense(3, "identity")], inputSize: 6,
      generator: &generator)
    let optimizer = try registry.makeOptimizer(reference(.optimizer, "adam", [("lr", .real(0.01))]))
    return try Trainer(
      network: network, loss: try registry.makeLoss(reference(.loss, "mse")),
      updater: ParameterUpdater(optimizer: optimizer, weightDecay: 1e-3, clipNorm: clipNorm),
      generator: generator, step: step, threads: threads)
  }

  /// 150 samples of 6 features and 3 targets.
  func wideData() -> LabeledData<Double> {
    var generator = SeededGenerator(seed: 12)
    let x = randomMatrix(rows: 150, cols: 6, using: &generator, as: Double.self)
    let y = Matrix<Double>(rows: 150, cols: 3)
    for i in 0..<150 {
      for j in 0..<3 { y[i, j] = sin(x[i, j]) * x[i, j + 3] }
    }
    return LabeledData(features: x, targets: y)
  }

  /// Training on shards (each updating its own parameters) lands where the layer-by-layer step does,
  /// the last batch of 22 samples (too small to split) included; two runs give the same bits.
  @Test func wideNetworksTrainOnShardsToTheLayerByLayerWeights() throws {
    let plan = TrainingPlan(epochs: 8, batchSize: 64)
    let sharded = try wideTrainer(threads: 2)
    let shardedStep = try #require(sharded.step as? ShardedDenseStep<Double>)
    #expect(shardedStep.takes(rows: 64) && !shardedStep.takes(rows: 22))
    let plain = try wideTrainer(threads: 2, step: .reference)
    #expect(plain.step.kind == .reference)
    let shardedOutcome = try sharded.fit(wideData(), plan: plan)
    let plainOutcome = try plain.fit(wideData(), plan: plan)
    #expect(sharded.updater.state.step == plain.updater.state.step)
    for (a, b) in zip(shardedOutcome.history, plainOutcome.history) {
      #expect(abs(a.loss - b.loss) <= 1e-12 * abs(b.loss))
    }
    for (a, b) in zip(sharded.network.parameters, plain.network.parameters) {
      #expect(
        isApproximatelyEqual(a.parameter.value, b.parameter.value, absolute: 1e-10, relative: 1e-8))
      for (slotA, slotB) in zip(
        sharded.updater.state.slots[a.path]!, plain.updater.state.slots[b.path]!)
      {
        #expect(isApproximatelyEqual(slotA, slotB, absolute: 1e-10, relative: 1e-8))
      }
    }
    let again = try wideTrainer(threads: 2)
    let againOutcome = try again.fit(wideData(), plan: plan)
    #expect(againOutcome.history.map(\.loss) == shardedOutcome.history.map(\.loss))
    for (a, b) in zip(again.network.parameters, sharded.network.parameters) {
      #expect(a.parameter.value.scalars == b.parameter.value.scalars)
    }
  }

  @Test func theShardedStepNeedsTwoThreadsAndAnUpdateThatCanBeSplit() throws {
    #expect(try wideTrainer(threads: 2).step.kind == .sharded)
    #expect(try wideTrainer(threads: 1).step.kind == .reference)
    // Clipping scales every gradient by the norm of all of them together.
    #expect(try wideTrainer(threads: 2, clipNorm: 1).step.kind == .reference)
    #expect(throws: StepRefusal.self) { try self.wideTrainer(threads: 2, step: .fused) }
  }

  @Test func stochasticMiniBatchAndFullBatchAreBatchSizes() throws {
    // Full batch: one update per epoch; batch 1: one per sample; batch 32: ⌈100/32⌉ = 4.
    for (batch, steps) in [(nil, 3), (1, 300), (32, 12)] as [(Int?, Int)] {
      let trainer = try trainer([try dense(1, "identity")], inputs: 1, loss: "mse", lr: 0.01)
      _ = try trainer.fit(sineData(), plan: TrainingPlan(epochs: 3, batchSize: batch))
      #expect(trainer.updater.state.step == steps, "batch \(String(describing: batch))")
    }
  }

  @Test func earlyStoppingStopsAndRestoresTheBestWeights() throws {
    // A learning rate so large the loss grows: the best epoch is the first, then patience runs out.
    let trainer = try trainer([try dense(1, "identity", std: 1)], inputs: 1, loss: "mse", lr: 0.12)
    let data = sineData()
    let plan = TrainingPlan(
      epochs: 500, batchSize: nil,
      earlyStopping: EarlyStoppingRule(patience: 3, monitorsValidation: false, restoreBest: true))
    let outcome = try trainer.fit(data, validation: data, plan: plan)
    #expect(outcome.stopReason == .earlyStopping)
    #expect(outcome.history.count < 500)
    let best = outcome.history.min { $0.loss < $1.loss }!
    #expect(outcome.restoredEpoch == best.epoch)
  }

  @Test func divergenceNamesTheEpochBatchAndParameter() throws {
    let trainer = try trainer([try dense(1, "identity", std: 1)], inputs: 1, loss: "mse", lr: 1e6)
    #expect {
      _ = try trainer.fit(sineData(), plan: TrainingPlan(epochs: 100))
    } throws: { error in
      guard let divergence = error as? DivergenceError else { return false }
      return divergence.epoch > 1 && divergence.batch == 1 && divergence.learningRate == 1e6
        && divergence.description.contains(
          "training diverged at epoch \(divergence.epoch), batch 1")
        && divergence.hint.contains("lower the learning rate (it was 1000000)")
    }
  }

  @Test func anInterruptedRunResumesToTheSameWeights() throws {
    let data = sineData()
    let plan = TrainingPlan(epochs: 6, batchSize: 16)
    let straight = try trainer(
      [try dense(6, "tanh"), try dense(1, "identity")], inputs: 1, loss: "mse", lr: 0.05)
    _ = try straight.fit(data, plan: plan)

    // Stop after the 10th step (in the middle of epoch 2), then continue in a new trainer that starts
    // from the saved weights, optimizer state and resume point.
    let first = try trainer(
      [try dense(6, "tanh"), try dense(1, "identity")], inputs: 1, loss: "mse", lr: 0.05)
    var steps = 0
    let stopped = try first.fit(
      data, plan: plan,
      shouldStop: {
        steps += 1
        return steps == 10
      })
    #expect(stopped.stopReason == .interrupted)
    #expect(stopped.resumePoint.epoch == 1 && stopped.resumePoint.batch == 3)
    let second = try trainer(
      [try dense(6, "tanh"), try dense(1, "identity")], inputs: 1, loss: "mse", lr: 0.05)
    for (saved, target) in zip(first.network.parameters, second.network.parameters) {
      target.parameter.value.assign(saved.parameter.value)
    }
    second.updater.state.step = first.updater.state.step
    second.updater.state.slots = first.updater.state.slots
    let resumed = try second.fit(data, plan: plan, resumeFrom: stopped.resumePoint)
    #expect(resumed.epochsCompleted == 6)
    for (a, b) in zip(straight.network.parameters, second.network.parameters) {
      #expect(a.parameter.value.scalars == b.parameter.value.scalars, "\(a.path)")
    }
  }
}
