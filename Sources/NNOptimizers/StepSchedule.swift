import Foundation
import NNProtocols

/// Step decay: the rate is multiplied by `γ` every `step_size` epochs (`torch.optim.lr_scheduler.StepLR`).
///
/// For the 0-based epoch `e`: `η_e = η₀ · γ^⌊e / step_size⌋`. With the defaults (30, 0.1), epochs 0–29
/// use `η₀`, epochs 30–59 use `η₀/10`, from epoch 60 `η₀/100`, and so on.
///
/// See Also: `ExponentialSchedule` (decay every epoch).
public struct StepSchedule: LearningRateSchedule, Equatable {
  /// `"step"`.
  public var name: String { "step" }
  /// Epochs between two decays (≥ 1). Default 30.
  public let stepSize: Int
  /// The factor `γ` applied at each decay, in (0, 1]. Default 0.1.
  public let gamma: Double

  /// A step schedule.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range.
  public init(stepSize: Int = 30, gamma: Double = 0.1) throws {
    guard stepSize >= 1 else {
      throw InputError(
        "schedule 'step' option 'step_size': expected an integer ≥ 1, got \(stepSize)")
    }
    try HyperparameterCheck.require(
      gamma > 0 && gamma <= 1, gamma, "gamma", "schedule 'step'", "a real number in (0, 1]")
    self.stepSize = stepSize
    self.gamma = gamma
  }

  /// `η₀ · γ^⌊epoch / stepSize⌋`.
  public func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double {
    baseRate * pow(gamma, Double(Swift.max(epoch, 0) / stepSize))
  }
}
