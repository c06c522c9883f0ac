import NNActivations
import NNKernels
import NNLayers
import NNLosses
import NNOptimizers
import NNProtocols
import NNTraining
import Testing

@Suite struct StepPlannerTests {
  func network(_ builders: [any LayerBuilder], inputs: Int) throws -> Network<Float> {
    var generator = SeededGenerator(seed: 1)
    return try Network<Float>(builders: builders, inputSize: inputs, generator: &generator)
  }

  func planner(
    _ network: Network<Float>, _ loss: any Loss = MeanSquaredError(), threads: Int = 2,
    clipNorm: Double = 0
  ) throws -> StepPlanner<Float> {
    StepPlanner(
      network: network, loss: loss,
      updater: ParameterUpdater(optimizer: try SGD(learningRate: 0.1), clipNorm: clipNorm),
      threads: threads)
  }

  /// The sine network: the fused step; nothing tried before it.
  @Test func autoTakesTheFusedStepForTheTutorialsNetwork() throws {
    let sine = try network(
      [DenseBuilder(units: 20, activation: Sigmoid()), DenseBuilder(units: 1)], inputs: 1)
    let plan = try planner(sine, HalfMeanSquaredError()).plan()
    #expect(plan.step.kind == .fused)
    #expect(plan.rejected.isEmpty)
  }

  /// W5's shape: not fused (cross-entropy), sharded on two threads, the reference on one.
  @Test func autoTakesTheShardedStepForAWideFirstLayerAndSaysWhyNotFused() throws {
    let digits = try network(
      [DenseBuilder(units: 128, activation: ReLU()), DenseBuilder(units: 10)], inputs: 64)
    let plan = try planner(digits, CrossEntropy()).plan()
    #expect(plan.step.kind == .sharded)
    #expect(plan.rejected.map(\.step) == [.fused])
    #expect(
      plan.rejected[0].condition
        == "the loss must be a scaled sum of squared errors (half_mse, half_sse, mse), and"
        + " cross_entropy is not")
    let single = try planner(digits, CrossEntropy(), threads: 1).plan()
    #expect(single.step.kind == .reference)
    #expect(single.rejected.map(\.step) == [.fused, .sharded])
    #expect(single.rejected[1].condition == "it needs at least 2 threads, and the run has 1")
  }

  /// Each condition of the table, as the planner words it.
  @Test func eachFailedConditionIsNamed() throws {
    let dropout = try network(
      [DenseBuilder(units: 40), DropoutBuilder(rate: 0.5), DenseBuilder(units: 1)], inputs: 2)
    #expect(
      try planner(dropout).failedCondition(.fused)
        == "every layer must be dense, and layer 1 is dropout")
    let elu = try network(
      [DenseBuilder(units: 40, activation: ELU()), DenseBuilder(units: 1)], inputs: 2)
    #expect(try planner(elu).failedCondition(.fused)?.hasSuffix("layer 0's elu has none") == true)
    #expect(try planner(elu).failedCondition(.sharded)?.hasSuffix("layer 0's elu has none") == true)
    let wide = try network([DenseBuilder(units: Kernels.networkStepMaxWidth + 1)], inputs: 2)
    #expect(
      try planner(wide).failedCondition(.fused)?.hasPrefix(
        "the network must be within the fused kernel's limits (at most") == true)
    let small = try network([DenseBuilder(units: 31), DenseBuilder(units: 1)], inputs: 2)
    #expect(
      try planner(small).failedCondition(.sharded)
        == "the first layer must have at least 32 units (2 shards of 16), and it has 31")
    #expect(
      try planner(small, clipNorm: 1).failedCondition(.sharded)
        == "the optimizer must update elementwise without gradient clipping, and clip_norm is 1")
    let unbiased = try network(
      [DenseBuilder(units: 64), DenseBuilder(units: 1, useBias: false)], inputs: 2)
    #expect(
      try planner(unbiased).failedCondition(.sharded)
        == "the first two layers must be dense with biases, and layer 1 is dense without a bias")
    let one = try network([DenseBuilder(units: 64)], inputs: 2)
    #expect(
      try planner(one).failedCondition(.sharded)
        == "the network must have at least two layers, and it has 1")
    #expect(try planner(one).failedCondition(.reference) == nil)
  }

  /// A requested step that does not qualify is refused, naming the condition; one that qualifies is
  /// taken even where auto would take another.
  @Test func aRequestedStepIsTakenOrRefused() throws {
    let dropout = try network(
      [DenseBuilder(units: 40), DropoutBuilder(rate: 0.5), DenseBuilder(units: 1)], inputs: 2)
    #expect(
      throws: StepRefusal(
        step: .fused, condition: "every layer must be dense, and layer 1 is dropout")
    ) { try self.planner(dropout).plan(.fused) }
    let refusal = StepRefusal(step: .sharded, condition: "it needs at least 2 threads")
    #expect(refusal.description == "the sharded step does not qualify: it needs at least 2 threads")
    let sine = try network(
      [DenseBuilder(units: 20, activation: Sigmoid()), DenseBuilder(units: 1)], inputs: 1)
    let plan = try planner(sine, HalfMeanSquaredError()).plan(.reference)
    #expect(plan.step.kind == .reference)
    #expect(plan.step is ReferenceStep<Float>)
  }
}
