import Foundation
import NNProtocols

/// Cosine annealing from the base rate down to `min_lr` over the run
/// (`torch.optim.lr_scheduler.CosineAnnealingLR` with `T_max` = the run's epochs).
///
/// For the 0-based epoch `e` of `E` epochs:
/// ```
/// η_e = η_min + (η₀ − η_min) · (1 + cos(π·e/E)) / 2
/// ```
/// Epoch 0 uses `η₀`, epoch `E/2` the midpoint `(η₀ + η_min)/2`, and the rate approaches `η_min` at
/// `e = E` (the last epoch, `E − 1`, is one step before it, as in PyTorch). Epochs past `E` stay at
/// `η_min`; a run of 0 epochs uses `η₀`.
///
/// See Also: `StepSchedule`, `ExponentialSchedule`.
public struct CosineSchedule: LearningRateSchedule, Equatable {
  /// `"cosine"`.
  public var name: String { "cosine" }
  /// The rate `η_min` reached at the end of the run (≥ 0). Default 0.
  public let minimumRate: Double

  /// A cosine schedule.
  ///
  /// - Throws: `InputError` naming the option when `min_lr` is out of range.
  public init(minimumRate: Double = 0) throws {
    try HyperparameterCheck.nonNegative(minimumRate, "min_lr", of: "schedule 'cosine'")
    self.minimumRate = minimumRate
  }

  /// `η_min + (η₀ − η_min)·(1 + cos(π·epoch/totalEpochs))/2`.
  public func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double {
    guard totalEpochs > 0 else { return baseRate }
    let progress = Double(Swift.min(Swift.max(epoch, 0), totalEpochs)) / Double(totalEpochs)
    return minimumRate + (baseRate - minimumRate) * (1 + cos(Double.pi * progress)) / 2
  }
}
