import NNProtocols

/// Drives an optimizer over a network's parameters, one training step at a time: coupled L2 weight
/// decay, global-norm gradient clipping, the learning-rate schedule, and the per-parameter state.
///
/// One `step` does, in order:
/// ```
/// 1. t ← t + 1                                   (state.step, 1-based for this step)
/// 2. g_W ← g_W + λ·W    for every path ending in "weight" (not biases)
/// 3. n = √(Σ over all parameters Σ g²)           the global gradient norm, returned
/// 4. if c > 0 and n > c:  g ← g·c/n              for every parameter, so the global norm becomes c
/// 5. γ_e = schedule(epoch, totalEpochs, γ₀)      (γ₀ without a schedule)
/// 6. optimizer.update(p, g, slots(path), t, γ_e) for every parameter
/// ```
/// Step 2 is the gradient of the L2 penalty `λ/2·Σ‖W‖²` added to the loss, so it is part of the
/// gradient that is measured and clipped, and any optimizer sees it (with Adam this is "Adam with L2",
/// unlike `AdamW`'s decoupled decay). Steps 2 and 4 modify the gradients in place; the next backward pass
/// overwrites them.
///
/// The base rate `γ₀` is the optimizer's `learningRate` (every built-in optimizer is a
/// `LearningRateOptimizer`); an optimizer without one needs `learningRate:` given to `init`.
///
/// Nothing is allocated per step once every parameter's slots exist (they are created on the first
/// step, shaped like their parameter, filled with each slot's initial value).
///
/// See Also: `Optimizer`, `OptimizerState`, `LearningRateSchedule`.
public final class ParameterUpdater<S: NNScalar> {
  /// The update rule.
  public let optimizer: any Optimizer
  /// The per-epoch learning-rate schedule; `nil` keeps the base rate.
  public let schedule: (any LearningRateSchedule)?
  /// The base learning rate `γ₀` the schedule starts from.
  public let baseLearningRate: Double
  /// The coupled L2 weight decay `λ` (≥ 0) added as `λ·W` to the gradients of weights. Default 0.
  public let weightDecay: Double
  /// The largest global gradient norm `c`; 0 turns clipping off. Default 0.
  public let clipNorm: Double
  /// Every parameter's slots by path, and the step count (replace it to resume from a checkpoint).
  @exclusivity(unchecked) public var state: OptimizerState<S>
  /// What a step needs of each parameter, gathered on the first step and reused while the same
  /// parameter list comes back with the same state (every step of a run), so a step copies no
  /// (path, parameter) pair and looks nothing up by name.
  @exclusivity(unchecked) private var binding: Binding?

  /// The list a binding was made from, and every parameter of it, whole, as a `Part`. A class, so
  /// that a step holds it by one reference.
  private final class Binding {
    /// Kept alive so that its buffer's address identifies it: while this holds the buffer, no other
    /// array can be given that address, and any change to the list makes a new buffer.
    let parameters: [(path: String, parameter: Parameter<S>)]
    let part: Part

    init(parameters: [(path: String, parameter: Parameter<S>)], part: Part) {
      self.parameters = parameters
      self.part = part
    }
  }

  /// A driver for `optimizer`.
  ///
  /// - Parameters:
  ///   - optimizer: the update rule.
  ///   - schedule: the learning-rate schedule; `nil` (default) keeps the rate constant.
  ///   - weightDecay: coupled L2 decay `λ` ≥ 0 on weights (paths ending in `weight`). Default 0.
  ///   - clipNorm: clip the global gradient norm to this value (≥ 0); 0 (default) = no clipping.
  ///   - learningRate: the base rate; `nil` (default) reads the optimizer's `learningRate`.
  ///   - state: the state to continue from; default empty.
  public init(
    optimizer: any Optimizer, schedule: (any LearningRateSchedule)? = nil, weightDecay: Double = 0,
    clipNorm: Double = 0, learningRate: Double? = nil, state: OptimizerState<S> = OptimizerState()
  ) {
    precondition(weightDecay >= 0 && weightDecay.isFinite, "weight decay must be ≥ 0")
    precondition(clipNorm >= 0 && clipNorm.isFinite, "the clipping norm must be ≥ 0")
    guard let rate = learningRate ?? (optimizer as? any LearningRateOptimizer)?.learningRate else {
      preconditionFailure(
        "optimizer '\(optimizer.name)' declares no learningRate; pass learningRate: to ParameterUpdater"
      )
    }
    self.optimizer = optimizer
    self.schedule = schedule
    self.baseLearningRate = rate
    self.weightDecay = weightDecay
    self.clipNorm = clipNorm
    self.state = state
  }

  /// The learning rate of the 0-based `epoch` of a run of `totalEpochs`: the schedule's value, or the
  /// base rate without a schedule.
  public func learningRate(epoch: Int, totalEpochs: Int) -> Double {
    schedule?.rate(epoch: epoch, totalEpochs: totalEpochs, baseRate: baseLearningRate)
      ?? baseLearningRate
  }

  /// Updates every parameter from its gradient (see the type for the six stages).
  ///
  /// - Parameters:
  ///   - parameters: every trainable parameter with its path (`layers.0.weight`); paths must be unique.
  ///   - epoch: the 0-based epoch, for the schedule.
  ///   - totalEpochs: the run's number of epochs, for the schedule.
  ///   - measuringNorm: whether to compute the global norm when clipping does not need it; default
  ///     `true`. The trainer passes `false`: the norm is one more pass over every gradient.
  /// - Returns: the global L2 norm of the gradients (weight decay included) before clipping; NaN when
  ///   neither clipping nor `measuringNorm` asked for it.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  @discardableResult
  public func step(
    _ parameters: [(path: String, parameter: Parameter<S>)], epoch: Int, totalEpochs: Int,
    measuringNorm: Bool = true
  ) -> Double {
    let step = state.advanceStep()
    let whole = bind(parameters).part
    addWeightDecay(whole)

    // The global norm n = √(Σ g²) over every gradient together.
    var norm = Double.nan
    if measuringNorm || clipNorm > 0 {
      var sumOfSquares = 0.0
      for gradient in whole.gradients {
        sumOfSquares += GradientArithmetic.sumOfSquares(gradient.base, count: gradient.count)
      }
      norm = sumOfSquares.squareRoot()
    }

    // Clipping keeps the direction and shrinks the length to c: g ← g·c/n.
    if clipNorm > 0, norm > clipNorm, norm.isFinite {
      let factor = S(clipNorm / norm)
      for gradient in whole.gradients {
        GradientArithmetic.scale(gradient.base, by: factor, count: gradient.count)
      }
    }

    let rate = learningRate(epoch: epoch, totalEpochs: totalEpochs)
    optimizer.updateAll(
      whole.values, gradients: whole.gradients, states: whole.slots, step: step,
      learningRate: rate)
    return norm
  }

  // MARK: - A step in parts

  /// Whether a step may be taken in parts on several threads (`beginStep`, `update(_:step:learningRate:)`):
  /// the optimizer updates each element on its own and there is no clipping (the norm it needs sums
  /// every gradient together).
  public var updatesInParts: Bool { clipNorm == 0 && optimizer.isElementwise }

  /// A share of the parameters' elements, updated by `update(_:step:learningRate:)`: views of some
  /// elements of some parameters, of their gradients and of their slots. Made by `parts(_:)` (and,
  /// for `step`, of every parameter whole); valid while the updater keeps the same `state`
  /// (`isCurrent`).
  public final class Part {
    let values: [Matrix<S>]
    let gradients: [Matrix<S>]
    let slots: [[Matrix<S>]]
    let isWeight: [Bool]
    let state: OptimizerState<S>
    let revision: Int

    init(
      values: [Matrix<S>], gradients: [Matrix<S>], slots: [[Matrix<S>]], isWeight: [Bool],
      state: OptimizerState<S>, revision: Int
    ) {
      self.values = values
      self.gradients = gradients
      self.slots = slots
      self.isWeight = isWeight
      self.state = state
      self.revision = revision
    }
  }

  /// One part per share, each made of the elements `elements` (row-major, from the first) of each
  /// listed parameter. Creates the parameters' slots that do not exist yet first, so that every part
  /// sees the same state; call it on one thread, before the steps that use the parts.
  public func parts(
    _ shares: [[(path: String, parameter: Parameter<S>, elements: Range<Int>)]]
  ) -> [Part] {
    for (path, parameter, _) in shares.joined() {
      precondition(parameter.gradient.count == parameter.value.count, "\(path): gradient size")
      _ = state.slots(for: path, shapedLike: parameter.value, optimizer: optimizer)
    }
    return shares.map { pieces in
      // Views with storage handles of their own: the threads updating other parts of the same
      // parameters then never count references on the same object.
      Part(
        values: pieces.map { $0.parameter.value.elements($0.elements).separatelyCounted() },
        gradients: pieces.map { $0.parameter.gradient.elements($0.elements).separatelyCounted() },
        slots: pieces.map { piece in
          state.slots[piece.path]!.map { $0.elements(piece.elements).separatelyCounted() }
        },
        isWeight: pieces.map { $0.path.hasSuffix("weight") }, state: state,
        revision: state.revision)
    }
  }

  /// A single part: `parts([pieces])`'s one.
  public func part(
    _ pieces: [(path: String, parameter: Parameter<S>, elements: Range<Int>)]
  ) -> Part {
    parts([pieces])[0]
  }

  /// Whether `part` still points at this updater's slots (a replaced or changed `state` makes new ones).
  public func isCurrent(_ part: Part) -> Bool {
    part.state === state && part.revision == state.revision
  }

  /// Starts a step taken in parts: counts it (stage 1) and gives the step number and the rate for
  /// `update(_:step:learningRate:)`. Requires `updatesInParts`.
  public func beginStep(epoch: Int, totalEpochs: Int) -> (step: Int, learningRate: Double) {
    precondition(updatesInParts, "a step in parts needs an elementwise optimizer and no clipping")
    return (state.advanceStep(), learningRate(epoch: epoch, totalEpochs: totalEpochs))
  }

  /// Updates one part of a step begun by `beginStep`: the decay on its weights' elements (stage 2),
  /// then the optimizer (stage 6). Parts of one step may be updated on different threads at once;
  /// together they give the same values as `step` over every parameter.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func update(_ part: Part, step: Int, learningRate: Double) {
    addWeightDecay(part)
    optimizer.updateAll(
      part.values, gradients: part.gradients, states: part.slots, step: step,
      learningRate: learningRate)
  }

  /// Coupled L2 decay (stage 2): ∂(λ/2·‖W‖²)/∂W = λ·W, added to the gradients of the part's
  /// weights only.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  private func addWeightDecay(_ part: Part) {
    guard weightDecay > 0 else { return }
    let lambda = S(weightDecay)
    for index in part.values.indices where part.isWeight[index] {
      let value = part.values[index]
      GradientArithmetic.addScaled(
        lambda, value.base, to: part.gradients[index].base, count: value.count)
    }
  }

  /// The binding for `parameters`: the last one when it was made from this very list (the same
  /// buffer) and the state is the same, else a new one whose slots are looked up (and created on
  /// first use) by path.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  private func bind(_ parameters: [(path: String, parameter: Parameter<S>)]) -> Binding {
    if let binding, isCurrent(binding.part), binding.parameters.count == parameters.count,
      binding.parameters.withUnsafeBufferPointer({ $0.baseAddress })
        == parameters.withUnsafeBufferPointer({ $0.baseAddress })
    {
      return binding
    }
    for (path, parameter) in parameters {
      precondition(parameter.gradient.count == parameter.value.count, "\(path): gradient size")
    }
    let slots = parameters.map { path, parameter in
      state.slots(for: path, shapedLike: parameter.value, optimizer: optimizer)
    }
    let part = Part(
      values: parameters.map(\.parameter.value), gradients: parameters.map(\.parameter.gradient),
      slots: slots, isWeight: parameters.map { $0.path.hasSuffix("weight") }, state: state,
      revision: state.revision)
    let binding = Binding(parameters: parameters, part: part)
    self.binding = binding
    return binding
  }
}
