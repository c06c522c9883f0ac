/// A rule that updates one parameter from its gradient: gradient descent, Adam, RPROP, ….
///
/// Optimizers are values holding only their hyperparameters. The per-parameter state they need (velocity,
/// moment estimates, step sizes) lives in an `OptimizerState` keyed by the parameter's path
/// (`layers.0.weight`), so it can be saved in a checkpoint and matched back by name.
public protocol Optimizer: Sendable {
  /// The name this optimizer is registered under, e.g. `"sgd"`.
  var name: String { get }

  /// The state slots each parameter needs and their initial value, e.g. Adam's `m` and `v` (0).
  var stateSlots: [StateSlot] { get }

  /// Updates `parameter` in place from `gradient`.
  ///
  /// - Parameters:
  ///   - state: this parameter's slots, one matrix per entry of `stateSlots`, shaped like the parameter.
  ///   - step: the 1-based count of updates so far, including this one (Adam's bias correction).
  ///   - learningRate: the rate for this step, after any schedule.
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int, learningRate: Double
  )

  /// Whether `update` treats each element on its own: an element's new value and slots depend only on
  /// its own value, gradient and slots (and the step and rate). Such an update may be made in parts,
  /// on several threads at once, with the same result as one call. Default `false`.
  var isElementwise: Bool { get }

  /// What the optimizer needs of the training setup, checked before training starts (e.g. iRPROP−'s
  /// `.fullBatch`). Default: none.
  var requirements: Set<TrainingRequirement> { get }

  /// Updates every parameter of a step: `update(parameters[i], gradient: gradients[i], state:
  /// states[i], …)` for each `i`, in order. The default makes those calls one by one; an optimizer
  /// may take the whole list in one call, so that a tiny network (W1: four tensors, 61 numbers) does
  /// not pay a generic call per tensor.
  func updateAll<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]], step: Int,
    learningRate: Double)
}

extension Optimizer {
  public func updateAll<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]], step: Int,
    learningRate: Double
  ) {
    updateEach(
      parameters, gradients: gradients, states: states, step: step, learningRate: learningRate)
  }

  /// `update` for each parameter in turn: the body of `updateAll`, inlinable so that an optimizer's
  /// own specialised `updateAll` compiles it into direct calls of its `update`.
  @inlinable
  public func updateEach<S: NNScalar>(
    _ parameters: [Matrix<S>], gradients: [Matrix<S>], states: [[Matrix<S>]], step: Int,
    learningRate: Double
  ) {
    for index in parameters.indices {
      update(
        parameters[index], gradient: gradients[index], state: states[index], step: step,
        learningRate: learningRate)
    }
  }
}

/// One per-parameter state tensor an optimizer keeps.
public struct StateSlot: Sendable, Equatable {
  /// Its name, e.g. `"velocity"`; saved as `optimizer.<path>.<name>`.
  public var name: String
  /// The value every element starts from.
  public var initialValue: Double

  public init(_ name: String, initialValue: Double = 0) {
    self.name = name
    self.initialValue = initialValue
  }
}

extension Optimizer {
  public var stateSlots: [StateSlot] { [] }
  public var isElementwise: Bool { false }
  public var requirements: Set<TrainingRequirement> { [] }
}

/// A condition an optimizer places on how it is trained.
public enum TrainingRequirement: Sendable, Hashable, CustomStringConvertible {
  /// Every step sees the whole training set (`batch` equal to the number of samples): the update
  /// relies on comparing gradients of the same function from step to step (RPROP's sign changes).
  case fullBatch

  /// How `nnpipe list` states it, e.g. `full batch only`.
  public var description: String {
    switch self {
    case .fullBatch: "full batch only"
    }
  }
}

/// The state of an optimizer for every parameter, keyed by parameter path.
public final class OptimizerState<Scalar: NNScalar> {
  /// Slots by parameter path, in the order of the optimizer's `stateSlots`.
  public var slots: [String: [Matrix<Scalar>]] = [:] { didSet { revision &+= 1 } }
  /// Counts the changes to `slots`, so a cache of looked-up slots knows when it is stale.
  @exclusivity(unchecked) public private(set) var revision = 0
  /// Updates performed so far.
  @exclusivity(unchecked) public var step = 0

  public init() {}

  /// Counts one more update, `step ← step + 1`, and returns the new count. A method, so that the
  /// access is made (and its exclusivity left unchecked) here rather than in the caller's module,
  /// where each access to a class's property costs a run-time check (~76 instructions).
  @inline(never)
  public func advanceStep() -> Int {
    step += 1
    return step
  }

  /// The slots of `path`, created with their initial values the first time.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func slots(
    for path: String, shapedLike parameter: Matrix<Scalar>, optimizer: any Optimizer
  ) -> [Matrix<Scalar>] {
    if let existing = slots[path] { return existing }
    let created = optimizer.stateSlots.map { slot -> Matrix<Scalar> in
      let m = Matrix<Scalar>(rows: parameter.rows, cols: parameter.cols)
      m.fill(Scalar(slot.initialValue))
      return m
    }
    slots[path] = created
    return created
  }
}

/// A learning-rate schedule: the rate to use in a given epoch.
public protocol LearningRateSchedule: Sendable {
  /// The name this schedule is registered under, e.g. `"cosine"`.
  var name: String { get }
  /// The learning rate for `epoch` (0-based) of `totalEpochs`, starting from `baseRate`.
  func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double
}

/// How a weight matrix is filled before training.
public protocol Initializer: Sendable {
  /// The name this initializer is registered under, e.g. `"he_normal"`.
  var name: String { get }
  /// Fills `weights` (`[fanOut, fanIn]`) using `generator`.
  func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator)
}
