import Foundation
import NNProtocols

/// Exponential decay: the rate is multiplied by `γ` every epoch
/// (`torch.optim.lr_scheduler.ExponentialLR`).
///
/// For the 0-based epoch `e`: `η_e = η₀ · γᵉ`.
///
/// See Also: `StepSchedule`, `CosineSchedule`.
public struct ExponentialSchedule: LearningRateSchedule, Equatable {
  /// `"exponential"`.
  public var name: String { "exponential" }
  /// The factor `γ` applied each epoch, in (0, 1]. Default 0.95.
  public let gamma: Double

  /// An exponential schedule.
  ///
  /// - Throws: `InputError` naming the option when `gamma` is out of range.
  public init(gamma: Double = 0.95) throws {
    try HyperparameterCheck.require(
      gamma > 0 && gamma <= 1, gamma, "gamma", "schedule 'exponential'", "a real number in (0, 1]")
    self.gamma = gamma
  }

  /// `η₀ · γ^epoch`.
  public func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double {
    baseRate * pow(gamma, Double(Swift.max(epoch, 0)))
  }
}
