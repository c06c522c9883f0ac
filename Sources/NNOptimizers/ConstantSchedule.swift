import NNProtocols

/// The same learning rate in every epoch: `η_e = η₀`.
///
/// See Also: `StepSchedule`, `ExponentialSchedule`, `CosineSchedule`.
public struct ConstantSchedule: LearningRateSchedule, Equatable {
  /// `"constant"`.
  public var name: String { "constant" }

  /// A constant schedule (it has no options).
  public init() {}

  /// `baseRate`, whatever the epoch.
  public func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double { baseRate }
}
