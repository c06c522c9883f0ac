import NNProtocols

/// Root-mean-square propagation: `torch.optim.RMSprop` (Hinton's lecture 6e), optionally centered and
/// with momentum.
///
/// With gradient `g`, learning rate `γ`, smoothing `α`, momentum `μ` and `ε`:
/// ```
/// v ← α·v + (1 − α)·g²                 running average of the squared gradient
/// centered:  ḡ ← α·ḡ + (1 − α)·g;  ṽ = v − ḡ²    (an estimate of the gradient's variance)
/// otherwise: ṽ = v
/// μ > 0:  b ← μ·b + g / (√ṽ + ε);  p ← p − γ·b
/// μ = 0:  p ← p − γ·g / (√ṽ + ε)
/// ```
/// Dividing by the root of the running mean square gives every element a step of about `γ`, large for
/// elements with small gradients and small for those with large ones.
///
/// State (PyTorch's names): `square_avg` (`v`); `grad_avg` (`ḡ`) when centered; `momentum_buffer` (`b`)
/// when `μ > 0`.
///
/// See Also: `Adam`, `Adagrad`.
public struct RMSProp: LearningRateOptimizer, Equatable {
  /// `"rmsprop"`.
  public var name: String { "rmsprop" }
  /// The learning rate `γ` (> 0). Default 0.01.
  public let learningRate: Double
  /// The smoothing constant `α` of the running averages, in [0, 1). Default 0.99.
  public let alpha: Double
  /// `ε` (> 0), added to the root so the division is safe. Default 1e-8.
  public let epsilon: Double
  /// The momentum `μ`, in [0, 1). Default 0.
  public let momentum: Double
  /// Whether to divide by an estimate of the gradient's standard deviation instead of its root mean
  /// square. Default false.
  public let centered: Bool

  /// RMSProp with the given hyperparameters.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range.
  public init(
    learningRate: Double = 0.01, alpha: Double = 0.99, epsilon: Double = 1e-8,
    momentum: Double = 0, centered: Bool = false
  ) throws {
    let component = "optimizer 'rmsprop'"
    try HyperparameterCheck.positive(learningRate, "lr", of: component)
    try HyperparameterCheck.fractionBelowOne(alpha, "alpha", of: component)
    try HyperparameterCheck.positive(epsilon, "eps", of: component)
    try HyperparameterCheck.fractionBelowOne(momentum, "momentum", of: component)
    self.learningRate = learningRate
    self.alpha = alpha
    self.epsilon = epsilon
    self.momentum = momentum
    self.centered = centered
  }

  /// `square_avg`, then `grad_avg` when centered, then `momentum_buffer` when `μ > 0`; all start at 0.
  public var stateSlots: [StateSlot] {
    [StateSlot("square_avg")] + (centered ? [StateSlot("grad_avg")] : [])
      + (momentum > 0 ? [StateSlot("momentum_buffer")] : [])
  }

  /// One RMSProp step (see the type for the formulas).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    let count = parameter.count
    precondition(gradient.count == count, "rmsprop: gradient and parameter sizes differ")
    precondition(
      state.count == stateSlots.count && state.allSatisfy { $0.count == count },
      "rmsprop: expected \(stateSlots.count) state slots shaped like the parameter")
    let p = parameter.base
    let g = gradient.base
    let squareAverage = state[0].base
    // The optional slots follow `square_avg` in the order of `stateSlots`; an absent one points at
    // `square_avg` and is never touched.
    let gradientAverage = centered ? state[1].base : squareAverage
    let buffer = momentum > 0 ? state[state.count - 1].base : squareAverage
    let rate = S(learningRate)
    let a = S(alpha)
    let newShare = S(1 - alpha)  // rounded once from Double, as PyTorch's `value=1 - alpha`
    let mu = S(momentum)
    let eps = S(epsilon)
    let centered = self.centered
    let usesMomentum = momentum > 0
    for i in 0..<count {
      // v ← α·v + (1 − α)·g²
      squareAverage[i] = a * squareAverage[i] + newShare * g[i] * g[i]
      // ṽ = v − ḡ² (centered) or v
      var variance = squareAverage[i]
      if centered {
        gradientAverage[i] = a * gradientAverage[i] + newShare * g[i]
        variance -= gradientAverage[i] * gradientAverage[i]
      }
      let scaled = g[i] / (variance.squareRoot() + eps)
      if usesMomentum {
        // b ← μ·b + g/(√ṽ + ε); p ← p − γ·b
        buffer[i] = mu * buffer[i] + scaled
        p[i] -= rate * buffer[i]
      } else {
        // p ← p − γ·g/(√ṽ + ε)
        p[i] -= rate * scaled
      }
    }
  }
}
