import Foundation
import NNProtocols

/// Adaptive moment estimation: `torch.optim.Adam` (Kingma & Ba, 2015), with optional AMSGrad.
///
/// With gradient `g`, learning rate `γ`, decay rates `β₁`, `β₂`, `ε` and the 1-based step `t`:
/// ```
/// m ← β₁·m + (1 − β₁)·g                first moment (a running mean of the gradient)
/// v ← β₂·v + (1 − β₂)·g²               second moment (a running mean of its square)
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)  bias correction: m and v start at 0, so early
///                                      averages are too small by exactly these factors
/// amsgrad:  v_max ← max(v_max, v);  v̂ = v_max / (1 − β₂ᵗ)
/// p ← p − γ·m̂ / (√v̂ + ε)
/// ```
/// At `t = 1` the correction makes `m̂ = g` and `v̂ = g²`, so the first step moves every element by
/// almost exactly `γ` against the sign of its gradient, whatever the gradient's scale.
///
/// State: `exp_avg` (`m`), `exp_avg_sq` (`v`) and, with AMSGrad, `max_exp_avg_sq` (`v_max`) — PyTorch's
/// names.
///
/// See Also: `AdamW` (decoupled weight decay), `RMSProp`.
public struct Adam: LearningRateOptimizer, Equatable {
  /// Every element is updated from its own value, gradient and slots alone.
  public var isElementwise: Bool { true }

  /// `"adam"`.
  public var name: String { "adam" }
  /// The learning rate `γ` (> 0). Default 0.001.
  public let learningRate: Double
  /// The decay rate `β₁` of the first moment, in [0, 1). Default 0.9.
  public let beta1: Double
  /// The decay rate `β₂` of the second moment, in [0, 1). Default 0.999.
  public let beta2: Double
  /// `ε` (> 0), added to `√v̂` so the division is safe. Default 1e-8.
  public let epsilon: Double
  /// Whether to divide by the largest second moment seen so far (AMSGrad). Default false.
  public let amsgrad: Bool

  /// Adam with the given hyperparameters.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range.
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, amsgrad: Bool = false
  ) throws {
    try self.init(
      component: "optimizer 'adam'", learningRate: learningRate, beta1: beta1, beta2: beta2,
      epsilon: epsilon, amsgrad: amsgrad)
  }

  /// Checks and stores the hyperparameters; `component` names the optimizer in messages.
  init(
    component: String, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double,
    amsgrad: Bool
  ) throws {
    try HyperparameterCheck.positive(learningRate, "lr", of: component)
    try HyperparameterCheck.fractionBelowOne(beta1, "beta1", of: component)
    try HyperparameterCheck.fractionBelowOne(beta2, "beta2", of: component)
    try HyperparameterCheck.positive(epsilon, "eps", of: component)
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.amsgrad = amsgrad
  }

  /// `exp_avg`, `exp_avg_sq` and, with AMSGrad, `max_exp_avg_sq`, all starting at 0.
  public var stateSlots: [StateSlot] {
    [StateSlot("exp_avg"), StateSlot("exp_avg_sq")] + (amsgrad ? [StateSlot("max_exp_avg_sq")] : [])
  }

  /// One Adam step (see the type for the formulas).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    applyStep(
      parameter, gradient: gradient, state: state,
      scalars: stepScalars(step: step, learningRate: learningRate, decoupledDecay: 0))
  }

  /// Every parameter of the step in one call (see `Optimizer.updateAll`): the step's scalars once,
  /// then one pass per parameter.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func updateAll<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]], step: Int,
    learningRate: Double
  ) {
    applySteps(
      parameters, gradients: gradients, states: states,
      scalars: stepScalars(step: step, learningRate: learningRate, decoupledDecay: 0))
  }

  /// What one step multiplies by, the same for every element: the step size `γ·√c₂/c₁`, the
  /// denominator's `ε·√c₂`, and the decoupled decay's factor `1 − γ·λ`.
  struct StepScalars {
    let stepSize: Double
    let epsilon: Double
    let keep: Double
  }

  /// The scalars of step `step` (1-based), in Double as PyTorch computes them in Python floats.
  /// With c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ:
  ///   γ·m̂/(√v̂ + ε) = γ·(m/c₁)/(√v/√c₂ + ε) = (γ·√c₂/c₁)·m/(√v + ε·√c₂)
  /// which needs one division per element instead of two. `decoupledDecay` is AdamW's `λ` (0 for
  /// Adam).
  func stepScalars(step: Int, learningRate: Double, decoupledDecay: Double) -> StepScalars {
    precondition(step >= 1, "\(name): steps are counted from 1")
    let correction1 = 1 - pow(beta1, Double(step))
    let correction2Root = (1 - pow(beta2, Double(step))).squareRoot()
    return StepScalars(
      stepSize: learningRate * correction2Root / correction1, epsilon: epsilon * correction2Root,
      keep: 1 - learningRate * decoupledDecay)
  }

  /// `applyStep` for each parameter in turn, with one step's scalars.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func applySteps<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]],
    scalars: StepScalars
  ) {
    for index in parameters.indices {
      applyStep(
        parameters[index], gradient: gradients[index], state: states[index], scalars: scalars)
    }
  }

  /// One Adam step, after shrinking the parameter by `p ← p·(1 − γ·decoupledDecay)` (AdamW's decay;
  /// `keep` = 1 for Adam). Both happen in one pass over the elements.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func applyStep<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], scalars: StepScalars
  ) {
    let count = checkedUpdateCount(
      name, parameter, gradient: gradient, state: state, slots: amsgrad ? 3 : 2)
    let p = parameter.base
    let g = gradient.base
    let m = state[0].base
    let v = state[1].base
    let stepSize = S(scalars.stepSize)
    let eps = S(scalars.epsilon)
    let keep = S(scalars.keep)
    // (1 − β) in Double, then rounded once: 1 − Float(0.999) would be off by 1e-5 relative.
    let b1 = S(beta1)
    let b2 = S(beta2)
    let newShare1 = S(1 - beta1)
    let newShare2 = S(1 - beta2)
    // `.magnitude` changes nothing (v ≥ 0) but tells the compiler the root's argument is not
    // negative, so it can use vector square roots (C's sqrt must otherwise set errno for x < 0).
    if amsgrad {
      let vMax = state[2].base
      for i in 0..<count {
        let gradient = g[i]
        let mean = b1 * m[i] + newShare1 * gradient  // m ← β₁·m + (1 − β₁)·g
        let square = b2 * v[i] + newShare2 * gradient * gradient  // v ← β₂·v + (1 − β₂)·g²
        let largest = Swift.max(vMax[i], square)  // v_max ← max(v_max, v)
        m[i] = mean
        v[i] = square
        vMax[i] = largest
        p[i] = keep * p[i] - stepSize * mean / (largest.magnitude.squareRoot() + eps)
      }
    } else {
      for i in 0..<count {
        let gradient = g[i]
        let mean = b1 * m[i] + newShare1 * gradient  // m ← β₁·m + (1 − β₁)·g
        let square = b2 * v[i] + newShare2 * gradient * gradient  // v ← β₂·v + (1 − β₂)·g²
        m[i] = mean
        v[i] = square
        // p ← p − γ·m̂/(√v̂ + ε), with the corrections folded into stepSize and eps
        p[i] = keep * p[i] - stepSize * mean / (square.magnitude.squareRoot() + eps)
      }
    }
  }
}
