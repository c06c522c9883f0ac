import NNProtocols

/// A linear warm-up: the rate climbs from `start_factor·η₀` to `η₀` over the first `warmup_epochs`
/// epochs, then stays at `η₀` (`torch.optim.lr_scheduler.LinearLR` with `end_factor` 1).
///
/// For the 0-based epoch `e` and `W` warm-up epochs, with `f₀` = `start_factor`:
/// ```
/// η_e = η₀ · (f₀ + (1 − f₀) · min(e, W) / W)
/// ```
/// Adam-style optimizers with large rates are often unstable in the first steps, while their moment
/// estimates are still poor; a short warm-up avoids that.
///
/// See Also: `CosineSchedule`, `ConstantSchedule`.
public struct LinearWarmupSchedule: LearningRateSchedule, Equatable {
  /// `"linear_warmup"`.
  public var name: String { "linear_warmup" }
  /// Epochs until the full rate (≥ 1). Default 5.
  public let warmupEpochs: Int
  /// The fraction `f₀` of the base rate used in epoch 0, in (0, 1]. Default 0.1 (PyTorch: 1/3).
  public let startFactor: Double

  /// A linear warm-up schedule.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range.
  public init(warmupEpochs: Int = 5, startFactor: Double = 0.1) throws {
    guard warmupEpochs >= 1 else {
      throw InputError(
        "schedule 'linear_warmup' option 'warmup_epochs': expected an integer ≥ 1, got \(warmupEpochs)"
      )
    }
    try HyperparameterCheck.require(
      startFactor > 0 && startFactor <= 1, startFactor, "start_factor", "schedule 'linear_warmup'",
      "a real number in (0, 1]")
    self.warmupEpochs = warmupEpochs
    self.startFactor = startFactor
  }

  /// `η₀ · (f₀ + (1 − f₀)·min(epoch, W)/W)`.
  public func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double {
    let progress = Double(Swift.min(Swift.max(epoch, 0), warmupEpochs)) / Double(warmupEpochs)
    return baseRate * (startFactor + (1 - startFactor) * progress)
  }
}
