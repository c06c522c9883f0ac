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
  /// Every element is updated from its own value, gradient and slots alone.
  public var isElementwise: Bool { true }

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
    // The number of slots, counted without building `stateSlots` (no allocation per step).
    let slotCount = 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0)
    let count = checkedUpdateCount(
      "rmsprop", parameter, gradient: gradient, state: state, slots: slotCount)
    let p = parameter.base
    let g = gradient.base
    let squareAverage = state[0].base
    let rate = S(learningRate)
    let a = S(alpha)
    let newShare = S(1 - alpha)  // rounded once from Double, as PyTorch's `value=1 - alpha`
    let mu = S(momentum)
    let eps = S(epsilon)
    // One loop per variant, each without branches so the compiler can vectorize it. The root is
    // taken of `.magnitude`: v ≥ 0 already (and v − ḡ² ≥ 0 up to rounding, where PyTorch would give
    // NaN), and it lets the compiler use vector square roots.
    switch (centered, momentum > 0) {
    case (false, false):
      for i in 0..<count {
        let gradient = g[i]
        let square = a * squareAverage[i] + newShare * gradient * gradient  // v ← α·v + (1 − α)·g²
        squareAverage[i] = square
        p[i] -= rate * gradient / (square.magnitude.squareRoot() + eps)  // p ← p − γ·g/(√v + ε)
      }
    case (true, false):
      let gradientAverage = state[1].base
      for i in 0..<count {
        let gradient = g[i]
        let square = a * squareAverage[i] + newShare * gradient * gradient  // v ← α·v + (1 − α)·g²
        let mean = a * gradientAverage[i] + newShare * gradient  // ḡ ← α·ḡ + (1 − α)·g
        squareAverage[i] = square
        gradientAverage[i] = mean
        let variance = square - mean * mean  // ṽ = v − ḡ²
        p[i] -= rate * gradient / (variance.magnitude.squareRoot() + eps)  // p ← p − γ·g/(√ṽ + ε)
      }
    case (false, true):
      let buffer = state[1].base
      for i in 0..<count {
        let gradient = g[i]
        let square = a * squareAverage[i] + newShare * gradient * gradient  // v ← α·v + (1 − α)·g²
        squareAverage[i] = square
        let velocity = mu * buffer[i] + gradient / (square.magnitude.squareRoot() + eps)
        buffer[i] = velocity  // b ← μ·b + g/(√v + ε)
        p[i] -= rate * velocity  // p ← p − γ·b
      }
    case (true, true):
      let gradientAverage = state[1].base
      let buffer = state[2].base
      for i in 0..<count {
        let gradient = g[i]
        let square = a * squareAverage[i] + newShare * gradient * gradient  // v ← α·v + (1 − α)·g²
        let mean = a * gradientAverage[i] + newShare * gradient  // ḡ ← α·ḡ + (1 − α)·g
        squareAverage[i] = square
        gradientAverage[i] = mean
        let variance = square - mean * mean  // ṽ = v − ḡ²
        let velocity = mu * buffer[i] + gradient / (variance.magnitude.squareRoot() + eps)
        buffer[i] = velocity  // b ← μ·b + g/(√ṽ + ε)
        p[i] -= rate * velocity  // p ← p − γ·b
      }
    }
  }
}
