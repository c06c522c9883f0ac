import NNProtocols

/// Adaptive gradient: `torch.optim.Adagrad` (Duchi, Hazan & Singer, 2011).
///
/// With gradient `g`, learning rate `γ`, learning-rate decay `η`, `ε` and the 1-based step `t`:
/// ```
/// γ_t = γ / (1 + (t − 1)·η)
/// s ← s + g²                           the sum of every squared gradient so far
/// p ← p − γ_t·g / (√s + ε)
/// ```
/// Each element's effective rate `γ/√s` only shrinks: elements with large or frequent gradients slow
/// down first. `s` starts at `initial_accumulator`.
///
/// State: `sum` (`s`, PyTorch's name), starting at `initial_accumulator`.
///
/// See Also: `RMSProp` (a running average instead of a sum), `Adam`.
public struct Adagrad: LearningRateOptimizer, Equatable {
  /// Every element is updated from its own value, gradient and slots alone.
  public var isElementwise: Bool { true }

  /// `"adagrad"`.
  public var name: String { "adagrad" }
  /// The learning rate `γ` (> 0). Default 0.01.
  public let learningRate: Double
  /// The learning-rate decay `η` (≥ 0). Default 0.
  public let learningRateDecay: Double
  /// `ε` (> 0), added to `√s` so the division is safe. Default 1e-10.
  public let epsilon: Double
  /// The value every element of `s` starts from (≥ 0). Default 0.
  public let initialAccumulator: Double

  /// Adagrad with the given hyperparameters.
  ///
  /// - Throws: `InputError` naming the option when a value is out of range.
  public init(
    learningRate: Double = 0.01, learningRateDecay: Double = 0, epsilon: Double = 1e-10,
    initialAccumulator: Double = 0
  ) throws {
    let component = "optimizer 'adagrad'"
    try HyperparameterCheck.positive(learningRate, "lr", of: component)
    try HyperparameterCheck.nonNegative(learningRateDecay, "lr_decay", of: component)
    try HyperparameterCheck.positive(epsilon, "eps", of: component)
    try HyperparameterCheck.nonNegative(initialAccumulator, "initial_accumulator", of: component)
    self.learningRate = learningRate
    self.learningRateDecay = learningRateDecay
    self.epsilon = epsilon
    self.initialAccumulator = initialAccumulator
  }

  /// `sum`, starting at `initialAccumulator`.
  public var stateSlots: [StateSlot] { [StateSlot("sum", initialValue: initialAccumulator)] }

  /// One Adagrad step (see the type for the formulas).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    let count = checkedUpdateCount(
      "adagrad", parameter, gradient: gradient, state: state, slots: 1)
    precondition(step >= 1, "adagrad: steps are counted from 1")
    let p = parameter.base
    let g = gradient.base
    let sum = state[0].base
    // γ_t = γ / (1 + (t − 1)·η)
    let rate = S(learningRate / (1 + Double(step - 1) * learningRateDecay))
    let eps = S(epsilon)
    for i in 0..<count {
      let gradient = g[i]
      let total = sum[i] + gradient * gradient  // s ← s + g²
      sum[i] = total
      // p ← p − γ_t·g/(√s + ε); `.magnitude` (s ≥ 0 already) lets the root be vectorized.
      p[i] -= rate * gradient / (total.magnitude.squareRoot() + eps)
    }
  }
}
