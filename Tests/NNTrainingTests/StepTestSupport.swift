import NNLayers
import NNOptimizers
import NNProtocols
import NNTraining

/// The gradients a step wrote, in parameter order.
func gradients<S: NNScalar>(_ network: Network<S>) -> [[Double]] {
  network.parameters.map { $0.parameter.gradient.buffer.map(Double.init) }
}

/// The reference step's loss and gradients (`ReferenceStep.gradients`, the tutorials' forward,
/// loss, backward): what the fused and the sharded steps are compared with.
func referenceStep<S: NNScalar>(
  _ network: Network<S>, _ loss: any Loss, _ x: Matrix<S>, _ y: Matrix<S>
) -> (loss: Double, gradients: [[Double]]) {
  let value = ReferenceStep(network: network, loss: loss).gradients(x, y)
  return (value, gradients(network))
}

/// The planner for `network` trained with `loss` by plain SGD on `threads` threads.
func planner<S: NNScalar>(
  _ network: Network<S>, _ loss: any Loss, threads: Int = 2
) -> StepPlanner<S> {
  StepPlanner(
    network: network, loss: loss, updater: ParameterUpdater(optimizer: try! SGD(learningRate: 0.1)),
    threads: threads)
}

/// The fused step for `network`, or `nil` when the planner finds that it does not qualify.
func fusedStep<S: NNScalar>(_ network: Network<S>, _ loss: any Loss) -> FusedDenseStep<S>? {
  let planner = planner(network, loss)
  guard planner.failedCondition(.fused) == nil else { return nil }
  return planner.make(.fused) as? FusedDenseStep<S>
}

/// The sharded step for `network` on `threads` shards, or `nil` when it does not qualify.
func shardedStep<S: NNScalar>(
  _ network: Network<S>, _ loss: any Loss, threads: Int
) -> ShardedDenseStep<S>? {
  let planner = planner(network, loss, threads: threads)
  guard planner.failedCondition(.sharded) == nil else { return nil }
  return planner.make(.sharded) as? ShardedDenseStep<S>
}
