import NNOptimizers
import NNProtocols

/// The ways a training step can run (see `StepPlanner` for when each qualifies).
public enum StepKind: String, Sendable, Equatable, CaseIterable {
  /// Layer by layer, as the tutorials write it (`ReferenceStep`): always available.
  case reference
  /// A small dense network's whole step in one kernel call (`FusedDenseStep`).
  case fused
  /// The first layer's units split into shards over the cores (`ShardedDenseStep`).
  case sharded
}

/// One training step on one batch: forward, loss, backward, and the optimizer's update.
///
/// Every step computes the same equations (those of `ReferenceStep`); they differ in how the work is
/// laid out, so their results agree up to rounding, and each is the same bits run after run.
public protocol TrainingStep<Scalar>: AnyObject {
  associatedtype Scalar: NNScalar
  /// Which of the planner's candidates this is.
  var kind: StepKind { get }
  /// Runs the step on a batch (`x` `[m, inputs]`, `y` the loss's targets): writes every gradient,
  /// lets `updater` update every parameter (epoch `epoch` of `totalEpochs`, for its schedule), and
  /// returns the batch's loss before the update.
  func train(
    _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, updater: ParameterUpdater<Scalar>, epoch: Int,
    totalEpochs: Int
  ) -> Double
}
