import NNProtocols

/// Gradient descent, with optional momentum and Nesterov momentum: `torch.optim.SGD`.
///
/// With gradient `g`, learning rate `γ`, momentum `μ`, dampening `τ` and the 1-based step `t`:
/// ```
/// μ = 0:  p ← p − γ·g                        plain gradient descent (the tutorials' rule)
/// μ > 0:  b ← g                   if t = 1   the momentum buffer starts at the first gradient
///         b ← μ·b + (1 − τ)·g     if t > 1
///         d ← g + μ·b             nesterov   (look ahead along the updated buffer)
///         d ← b                   otherwise
///         p ← p − γ·d
/// ```
/// Batch versus stochastic gradient descent is the trainer's batch size (the whole set, or 1), not a
/// different optimizer.
///
/// State: `momentum_buffer` (`b`, PyTorch's name), only when `μ > 0`.
///
/// See Also: `Adam`, `RMSProp`, `ParameterUpdater`.
public struct SGD: LearningRateOptimizer, Equatable {
  /// Every element is updated from its own value, gradient and slots alone.
  public var isElementwise: Bool { true }

  /// `"sgd"`.
  public var name: String { "sgd" }
  /// The learning rate `γ` (> 0). Default 0.01.
  public let learningRate: Double
  /// The momentum `μ`, in [0, 1). Default 0 (plain gradient descent).
  public let momentum: Double
  /// The dampening `τ` of the gradient added to the buffer, in [0, 1]. Default 0.
  public let dampening: Double
  /// Whether to use Nesterov momentum `d = g + μ·b` (needs `μ > 0`). Default false.
  public let nesterov: Bool

  /// Gradient descent with the given hyperparameters.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range, or when `nesterov` is
  ///   set without momentum (Nesterov's look-ahead is a form of momentum).
  public init(
    learningRate: Double = 0.01, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false
  ) throws {
    let component = "optimizer 'sgd'"
    try HyperparameterCheck.positive(learningRate, "lr", of: component)
    try HyperparameterCheck.fractionBelowOne(momentum, "momentum", of: component)
    try HyperparameterCheck.fraction(dampening, "dampening", of: component)
    if nesterov && (momentum == 0 || dampening != 0) {
      throw InputError(
        "\(component) option 'nesterov': Nesterov momentum needs momentum > 0 and dampening = 0 "
          + "(got momentum=\(formatReal(momentum)), dampening=\(formatReal(dampening)))",
        hint: "set momentum (e.g. momentum=0.9) or remove nesterov=true")
    }
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
  }

  /// `momentum_buffer` when `μ > 0`, else none.
  public var stateSlots: [StateSlot] {
    momentum > 0 ? [StateSlot("momentum_buffer", initialValue: 0)] : []
  }

  /// `p ← p − γ·d` with `d` the gradient, the momentum buffer or Nesterov's look-ahead (see the type).
  /// Every parameter of the step in one call (see `Optimizer.updateAll`), each by `update`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func updateAll<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]], step: Int,
    learningRate: Double
  ) {
    updateEach(
      parameters, gradients: gradients, states: states, step: step, learningRate: learningRate)
  }

  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    precondition(gradient.count == parameter.count, "sgd: gradient and parameter sizes differ")
    let p = parameter.base
    let g = gradient.base
    let count = parameter.count
    let rate = S(learningRate)
    guard momentum > 0 else {
      // Plain gradient descent: p ← p − γ·g.
      for i in 0..<count { p[i] -= rate * g[i] }
      return
    }
    precondition(state.count == 1 && state[0].count == count, "sgd: expected one momentum buffer")
    let buffer = state[0].base
    // The four cases (first step or not, Nesterov or not) as coefficients of one branch-free loop,
    // which the compiler turns into vector instructions:
    //   b ← keep·b + share·g      first step: keep = 0, share = 1 (b ← g); then keep = μ, share = 1 − τ
    //   d ← lookAhead·g + bufferWeight·b     Nesterov: g + μ·b; otherwise 0·g + 1·b = b
    let mu = S(momentum)
    let isFirstStep = step == 1
    let keep: S = isFirstStep ? 0 : mu
    let share: S = isFirstStep ? 1 : S(1 - dampening)
    let lookAhead: S = nesterov ? 1 : 0
    let bufferWeight: S = nesterov ? mu : 1
    for i in 0..<count {
      let velocity = keep * buffer[i] + share * g[i]
      buffer[i] = velocity
      p[i] -= rate * (lookAhead * g[i] + bufferWeight * velocity)
    }
  }
}
