import NNProtocols

/// An optimizer that declares its base learning rate, so a `ParameterUpdater` can read it.
///
/// Every built-in optimizer conforms: the rate given in the model file (`optimizer sgd lr=0.1`) is a
/// property of the optimizer, and the updater passes `schedule(epoch) · learningRate` to `update`.
/// A user-written optimizer that only conforms to `Optimizer` gives its rate to the updater instead
/// (`ParameterUpdater(optimizer:learningRate:)`).
///
/// See Also: `ParameterUpdater`, `LearningRateSchedule`.
public protocol LearningRateOptimizer: Optimizer {
  /// The base learning rate `γ`, before any schedule.
  var learningRate: Double { get }
}
