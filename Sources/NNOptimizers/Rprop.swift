import NNProtocols

/// Resilient back-propagation, iRPROP− (Igel & Hüsken, 2000): `torch.optim.Rprop`, and FANN's default
/// training algorithm.
///
/// Only the *sign* of each gradient element is used; every element has its own step size `Δ`, which
/// grows while the sign stays the same and shrinks when it flips (the last step jumped over a minimum):
/// ```
/// g·g_prev > 0:  Δ ← min(Δ·η₊, Δ_max);  p ← p − sign(g)·Δ;  g_prev ← g
/// g·g_prev < 0:  Δ ← max(Δ·η₋, Δ_min);  no move;             g_prev ← 0
/// g·g_prev = 0:  Δ unchanged;           p ← p − sign(g)·Δ;  g_prev ← g
/// ```
/// (As PyTorch, `Δ` is also clamped to `[Δ_min, Δ_max]` when unchanged.) Setting `g_prev ← 0` after a
/// flip makes the next step a plain `sign(g)·Δ` move with the smaller step: the "−" of iRPROP− is
/// that the flipped step is skipped, not reverted.
///
/// **Full-batch only.** The sign rule assumes each gradient is the gradient of the same loss; the noise
/// of mini-batch gradients flips signs at random and collapses the steps. Train with `batch=full`.
///
/// The `learningRate` passed to `update` is ignored: the step sizes are the state. Schedules therefore
/// have no effect on Rprop; `initialStep` sets where the steps start.
///
/// Defaults are PyTorch's: `η₋` 0.5, `η₊` 1.2, `Δ_min` 1e-6, `Δ_max` 50, initial `Δ` 0.01 (PyTorch's
/// `lr`). FANN uses the same factors and `Δ_max` with an initial step of 0.1 (`rprop_delta_zero`) and
/// `Δ_min` 0; write `rprop(initial_step=0.1, step_min=0)` for FANN's settings.
///
/// State: `step_size` (`Δ`, starting at `initialStep`) and `prev` (`g_prev`, starting at 0) —
/// PyTorch's names.
///
/// See Also: `SGD`, `Adam`.
public struct Rprop: LearningRateOptimizer, Equatable {
  /// Every element is updated from its own value, gradient and slots alone.
  public var isElementwise: Bool { true }
  /// `[.fullBatch]`: the sign of each gradient is compared with the previous step's, which is only
  /// meaningful when both are gradients of the same (whole-data) loss.
  public var requirements: Set<TrainingRequirement> { [.fullBatch] }

  /// `"rprop"`.
  public var name: String { "rprop" }
  /// The factor `η₋` a step size shrinks by when its gradient's sign flips, in (0, 1). Default 0.5.
  public let etaMinus: Double
  /// The factor `η₊` a step size grows by while its gradient keeps its sign (> 1). Default 1.2.
  public let etaPlus: Double
  /// The smallest step size `Δ_min` (≥ 0). Default 1e-6.
  public let stepMin: Double
  /// The largest step size `Δ_max` (> 0, ≥ `Δ_min`). Default 50.
  public let stepMax: Double
  /// The step size every element starts with (> 0): PyTorch's `lr`. Default 0.01 (FANN: 0.1).
  public let initialStep: Double

  /// The initial step size, reported as the learning rate (PyTorch's `lr`); schedules do not affect
  /// Rprop.
  public var learningRate: Double { initialStep }

  /// iRPROP− with the given hyperparameters.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range, or when
  ///   `step_min > step_max`.
  public init(
    initialStep: Double = 0.01, etaMinus: Double = 0.5, etaPlus: Double = 1.2,
    stepMin: Double = 1e-6, stepMax: Double = 50
  ) throws {
    let component = "optimizer 'rprop'"
    try HyperparameterCheck.positive(initialStep, "initial_step", of: component)
    try HyperparameterCheck.open(etaMinus, 0, 1, "eta_minus", of: component)
    try HyperparameterCheck.open(etaPlus, 1, .infinity, "eta_plus", of: component)
    try HyperparameterCheck.nonNegative(stepMin, "step_min", of: component)
    try HyperparameterCheck.positive(stepMax, "step_max", of: component)
    guard stepMin <= stepMax else {
      throw InputError(
        "\(component) option 'step_min': expected at most step_max (\(formatReal(stepMax))), "
          + "got \(formatReal(stepMin))")
    }
    self.initialStep = initialStep
    self.etaMinus = etaMinus
    self.etaPlus = etaPlus
    self.stepMin = stepMin
    self.stepMax = stepMax
  }

  /// `step_size` (starting at `initialStep`) and `prev` (starting at 0).
  public var stateSlots: [StateSlot] {
    [StateSlot("step_size", initialValue: initialStep), StateSlot("prev", initialValue: 0)]
  }

  /// One iRPROP− step (see the type); `learningRate` is ignored.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    let count = checkedUpdateCount("rprop", parameter, gradient: gradient, state: state, slots: 2)
    let p = parameter.base
    let g = gradient.base
    let stepSize = state[0].base
    let previous = state[1].base
    let grow = S(etaPlus)
    let shrink = S(etaMinus)
    let smallest = S(stepMin)
    let largest = S(stepMax)
    // Written with selects (`c ? x : y`) rather than branches, so the compiler can vectorize it.
    for i in 0..<count {
      let agreement = g[i] * previous[i]
      // Same sign: accelerate (η₊). Flip: we jumped over a minimum, slow down (η₋). No history: keep.
      let factor = agreement > 0 ? grow : (agreement < 0 ? shrink : 1)
      let size = Swift.min(Swift.max(stepSize[i] * factor, smallest), largest)
      // After a flip the element does not move and forgets its gradient (iRPROP−).
      let gradient = agreement < 0 ? 0 : g[i]
      // p ← p − sign(g)·Δ
      let direction: S = gradient > 0 ? 1 : (gradient < 0 ? -1 : 0)
      p[i] -= direction * size
      stepSize[i] = size
      previous[i] = gradient
    }
  }
}
