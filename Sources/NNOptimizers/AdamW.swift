import NNProtocols

/// Adam with decoupled weight decay: `torch.optim.AdamW` (Loshchilov & Hutter, 2019).
///
/// With decay `λ`, before the Adam step (see `Adam`):
/// ```
/// p ← p − γ·λ·p                        decay the weights directly, not through the gradient
/// m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
/// p ← p − γ·m̂ / (√v̂ + ε)
/// ```
/// Adam with an L2 penalty adds `λ·p` to `g` instead, so the decay is divided by `√v̂` like the rest of
/// the gradient and weights with large gradients are hardly decayed; AdamW decays every weight at the
/// same rate `γ·λ`. The decay applies to every parameter the optimizer is given, biases included, as in
/// PyTorch.
///
/// State: as `Adam`.
///
/// See Also: `Adam`, `ParameterUpdater` (coupled L2 weight decay for any optimizer).
public struct AdamW: LearningRateOptimizer, Equatable {
  /// Every element is updated from its own value, gradient and slots alone.
  public var isElementwise: Bool { true }

  /// `"adamw"`.
  public var name: String { "adamw" }
  /// The Adam part: learning rate, `β₁`, `β₂`, `ε`, AMSGrad.
  public let adam: Adam
  /// The decoupled weight decay `λ` (≥ 0). Default 0.01.
  public let weightDecay: Double

  /// The learning rate `γ` (> 0). Default 0.001.
  public var learningRate: Double { adam.learningRate }

  /// AdamW with the given hyperparameters (Adam's defaults, `λ` = 0.01).
  ///
  /// - Throws: `InputError` naming the option when a value is out of range.
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, weightDecay: Double = 0.01, amsgrad: Bool = false
  ) throws {
    let component = "optimizer 'adamw'"
    adam = try Adam(
      component: component, learningRate: learningRate, beta1: beta1, beta2: beta2,
      epsilon: epsilon, amsgrad: amsgrad)
    try HyperparameterCheck.nonNegative(weightDecay, "weight_decay", of: component)
    self.weightDecay = weightDecay
  }

  /// As `Adam`: `exp_avg`, `exp_avg_sq` and, with AMSGrad, `max_exp_avg_sq`.
  public var stateSlots: [StateSlot] { adam.stateSlots }

  /// `p ← p·(1 − γ·λ)`, then one Adam step, in a single pass.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    adam.applyStep(
      parameter, gradient: gradient, state: state,
      scalars: adam.stepScalars(
        step: step, learningRate: learningRate, decoupledDecay: weightDecay))
  }

  /// Every parameter of the step in one call: the step's scalars once, then one pass per parameter.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func updateAll<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]], step: Int,
    learningRate: Double
  ) {
    adam.applySteps(
      parameters, gradients: gradients, states: states,
      scalars: adam.stepScalars(
        step: step, learningRate: learningRate, decoupledDecay: weightDecay))
  }
}
