import Dispatch
import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

/// Every built-in update rule, in the configurations whose state or arithmetic differ.
enum BuiltInRule: String, CaseIterable, Sendable {
  case sgd, sgdMomentum, sgdNesterov, adam, adamAMSGrad, adamW, adamWAMSGrad, rmsprop
  case rmspropCenteredMomentum, adagrad, rprop

  /// The optimizer, with rates large enough that every step moves the parameters visibly.
  func make() throws -> any Optimizer {
    switch self {
    case .sgd: try SGD(learningRate: 0.1)
    case .sgdMomentum: try SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.25)
    case .sgdNesterov: try SGD(learningRate: 0.1, momentum: 0.8, nesterov: true)
    case .adam: try Adam(learningRate: 0.05)
    case .adamAMSGrad: try Adam(learningRate: 0.05, amsgrad: true)
    case .adamW: try AdamW(learningRate: 0.05, weightDecay: 0.1)
    case .adamWAMSGrad: try AdamW(learningRate: 0.05, weightDecay: 0.1, amsgrad: true)
    case .rmsprop: try RMSProp(learningRate: 0.02)
    case .rmspropCenteredMomentum: try RMSProp(learningRate: 0.02, momentum: 0.9, centered: true)
    case .adagrad: try Adagrad(learningRate: 0.1, learningRateDecay: 0.1, initialAccumulator: 0.5)
    case .rprop: try Rprop(initialStep: 0.05)
    }
  }
}

/// An update rule that does not say it is elementwise (it is, but only `isElementwise` counts):
/// `p ← p − γ·g`.
private struct UndeclaredRule: Optimizer {
  var name: String { "undeclared" }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int, learningRate: Double
  ) {
    for i in 0..<parameter.count { parameter.base[i] -= S(learningRate) * gradient.base[i] }
  }
}

/// The same rule, declared elementwise.
private struct DeclaredRule: Optimizer {
  var name: String { "declared" }
  var isElementwise: Bool { true }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int, learningRate: Double
  ) {
    UndeclaredRule().update(
      parameter, gradient: gradient, state: state, step: step, learningRate: learningRate)
  }
}

/// The parameters of a small two-layer network: paths and shapes.
private let shapes: [(path: String, rows: Int, cols: Int)] = [
  ("layers.0.weight", 4, 5), ("layers.0.bias", 1, 4), ("layers.1.weight", 3, 4),
  ("layers.1.bias", 1, 3),
]

/// A share of the elements: (index into `shapes`, element range) pieces.
private typealias Layout = [[(parameter: Int, elements: Range<Int>)]]

/// Three parts: ranges cutting rows of both weights (e.g. 0..<7 of a 4×5 weight ends inside row 1),
/// parts holding pieces of several parameters, listed out of parameter order.
private let threeParts: Layout = [
  [(0, 0..<7), (3, 0..<2), (2, 9..<12)],
  [(0, 7..<13), (1, 0..<4)],
  [(2, 0..<9), (0, 13..<20), (3, 2..<3)],
]

/// Two parts, cut elsewhere.
private let twoParts: Layout = [
  [(0, 0..<11), (2, 5..<12), (3, 0..<1)],
  [(1, 0..<4), (0, 11..<20), (2, 0..<5), (3, 1..<3)],
]

/// The bytes of `matrix`'s elements: equal bytes are equal bits (so NaN, −0 and ulps all count).
private func bits<S: NNScalar>(_ matrix: Matrix<S>) -> [UInt8] {
  Array(UnsafeRawBufferPointer(matrix.buffer))
}

/// Fresh parameters shaped as `shapes`, with values drawn from `generator`.
private func makeParameters<S: NNScalar>(
  as type: S.Type, using generator: inout SeededGenerator
) -> [(path: String, parameter: Parameter<S>)] {
  shapes.map { path, rows, cols in
    let value = Matrix<S>(rows: rows, cols: cols)
    for i in 0..<value.count { value.base[i] = S(generator.normal()) }
    let name = String(path.split(separator: ".").last ?? "")
    return (path, Parameter(name: name, value: value, gradient: Matrix(rows: rows, cols: cols)))
  }
}

/// Independent copies of `parameters` (values and gradients).
private func copies<S: NNScalar>(
  _ parameters: [(path: String, parameter: Parameter<S>)]
) -> [(path: String, parameter: Parameter<S>)] {
  parameters.map { path, parameter in
    (
      path,
      Parameter(
        name: parameter.name, value: parameter.value.copy(), gradient: parameter.gradient.copy())
    )
  }
}

/// Expects both parameter lists and both updaters' states to hold the same bits.
private func expectSameBits<S: NNScalar>(
  _ parts: [(path: String, parameter: Parameter<S>)],
  _ whole: [(path: String, parameter: Parameter<S>)],
  _ partsState: OptimizerState<S>, _ wholeState: OptimizerState<S>, _ context: String,
  sourceLocation: SourceLocation
) {
  #expect(partsState.step == wholeState.step, "\(context): step", sourceLocation: sourceLocation)
  for (piecewise, reference) in zip(parts, whole) {
    let path = reference.path
    #expect(
      bits(piecewise.parameter.value) == bits(reference.parameter.value),
      "\(context) \(path): values", sourceLocation: sourceLocation)
    #expect(
      bits(piecewise.parameter.gradient) == bits(reference.parameter.gradient),
      "\(context) \(path): gradients", sourceLocation: sourceLocation)
    let partsSlots = partsState.slots[path] ?? []
    let wholeSlots = wholeState.slots[path] ?? []
    #expect(
      partsSlots.count == wholeSlots.count, "\(context) \(path): slot count",
      sourceLocation: sourceLocation)
    for (slot, (piecewiseSlot, referenceSlot)) in zip(partsSlots, wholeSlots).enumerated() {
      #expect(
        bits(piecewiseSlot) == bits(referenceSlot), "\(context) \(path): slot \(slot)",
        sourceLocation: sourceLocation)
    }
  }
}

/// Takes `steps` steps of `optimizer` twice from the same start with the same gradients: once with
/// `step` over every parameter, once in the parts of `layout` updated in a shuffled order (or at the
/// same time, on several threads, when `concurrently`), and expects the same bits after every step.
private func expectPartsMatchWholeSteps<S: NNScalar>(
  as type: S.Type, optimizer: any Optimizer, weightDecay: Double,
  schedule: (any LearningRateSchedule)?, layout: Layout, concurrently: Bool = false,
  steps: Int = 6, context: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  var generator = SeededGenerator(seed: 2_024)
  let whole = makeParameters(as: S.self, using: &generator)
  let piecewise = copies(whole)
  let start = copies(whole)
  let wholeUpdater = ParameterUpdater<S>(
    optimizer: optimizer, schedule: schedule, weightDecay: weightDecay)
  let partsUpdater = ParameterUpdater<S>(
    optimizer: optimizer, schedule: schedule, weightDecay: weightDecay)
  #expect(partsUpdater.updatesInParts, "\(context)", sourceLocation: sourceLocation)
  let parts = partsUpdater.parts(
    layout.map { pieces in
      pieces.map { index, elements in
        (piecewise[index].path, piecewise[index].parameter, elements)
      }
    })
  #expect(parts.count == layout.count, "\(context)", sourceLocation: sourceLocation)
  let totalEpochs = 3
  for step in 0..<steps {
    let epoch = step * totalEpochs / steps
    // The same gradient in both copies; some elements 0, which Rprop treats apart.
    for (target, reference) in zip(piecewise, whole) {
      for i in 0..<target.parameter.gradient.count {
        let g = generator.uniform() < 0.1 ? 0 : S(generator.normal())
        target.parameter.gradient.base[i] = g
        reference.parameter.gradient.base[i] = g
      }
    }
    wholeUpdater.step(whole, epoch: epoch, totalEpochs: totalEpochs)
    let begun = partsUpdater.beginStep(epoch: epoch, totalEpochs: totalEpochs)
    if concurrently {
      nonisolated(unsafe) let shared = (partsUpdater, parts)
      DispatchQueue.concurrentPerform(iterations: parts.count) { part in
        shared.0.update(shared.1[part], step: begun.step, learningRate: begun.learningRate)
      }
    } else {
      for part in parts.shuffled(using: &generator) {
        partsUpdater.update(part, step: begun.step, learningRate: begun.learningRate)
      }
    }
    expectSameBits(
      piecewise, whole, partsUpdater.state, wholeUpdater.state, "\(context) step \(step + 1)",
      sourceLocation: sourceLocation)
  }  // The steps compared were not empty: every parameter moved.
  for (moved, initial) in zip(piecewise, start) {
    #expect(
      bits(moved.parameter.value) != bits(initial.parameter.value),
      "\(context) \(moved.path) did not move", sourceLocation: sourceLocation)
  }
}

/// The schedules a step in parts is compared under: none, and two that change the rate per epoch.
private func schedules() throws -> [(any LearningRateSchedule)?] {
  [nil, try StepSchedule(stepSize: 1, gamma: 0.5), try CosineSchedule(minimumRate: 0.001)]
}

@Suite("ParameterUpdater parts") struct ParameterUpdaterPartsTests {
  @Test("the test layouts cover every element of every parameter exactly once")
  func layoutsCoverEveryElementOnce() {
    for layout in [threeParts, twoParts] {
      for (index, shape) in shapes.enumerated() {
        let covered = layout.joined().filter { $0.parameter == index }.flatMap {
          Array($0.elements)
        }
        #expect(covered.sorted() == Array(0..<(shape.rows * shape.cols)), "\(shape.path)")
      }
    }
  }

  @Test(
    "a step in parts gives the same bits as a whole step, for every built-in optimizer",
    arguments: BuiltInRule.allCases, [0.0, 0.05])
  func partsMatchWholeSteps(rule: BuiltInRule, weightDecay: Double) throws {
    let optimizer = try rule.make()
    #expect(optimizer.isElementwise)
    for (index, schedule) in try schedules().enumerated() {
      for (name, layout) in [("3 parts", threeParts), ("2 parts", twoParts)] {
        let context = "\(rule) λ=\(weightDecay) schedule \(index) \(name)"
        expectPartsMatchWholeSteps(
          as: Double.self, optimizer: optimizer, weightDecay: weightDecay, schedule: schedule,
          layout: layout, context: "Double \(context)")
        expectPartsMatchWholeSteps(
          as: Float.self, optimizer: optimizer, weightDecay: weightDecay, schedule: schedule,
          layout: layout, context: "Float \(context)")
      }
    }
  }

  @Test(
    "parts updated at the same time on several threads give the same bits",
    arguments: [
      BuiltInRule.adam, .sgdMomentum, .rprop,
    ])
  func concurrentPartsMatchWholeSteps(rule: BuiltInRule) throws {
    expectPartsMatchWholeSteps(
      as: Float.self, optimizer: try rule.make(), weightDecay: 0.05,
      schedule: try StepSchedule(stepSize: 1, gamma: 0.5), layout: threeParts, concurrently: true,
      context: "\(rule) concurrent")
  }

  @Test("steps in parts need an elementwise optimizer and no clipping")
  func updatesInPartsNeedsElementwiseAndNoClipping() throws {
    for rule in BuiltInRule.allCases {
      let optimizer = try rule.make()
      #expect(ParameterUpdater<Double>(optimizer: optimizer).updatesInParts, "\(rule)")
      #expect(
        ParameterUpdater<Double>(optimizer: optimizer, weightDecay: 0.1).updatesInParts, "\(rule)")
      #expect(
        !ParameterUpdater<Double>(optimizer: optimizer, clipNorm: 1).updatesInParts, "\(rule)")
    }
    // An optimizer is not elementwise unless it says so.
    #expect(!UndeclaredRule().isElementwise)
    #expect(!ParameterUpdater<Float>(optimizer: UndeclaredRule(), learningRate: 0.1).updatesInParts)
    #expect(DeclaredRule().isElementwise)
    #expect(ParameterUpdater<Float>(optimizer: DeclaredRule(), learningRate: 0.1).updatesInParts)
    #expect(
      !ParameterUpdater<Float>(optimizer: DeclaredRule(), clipNorm: 2, learningRate: 0.1)
        .updatesInParts)
  }

  @Test("parts are current until the state is replaced or its slots are changed")
  func isCurrentFollowsTheState() throws {
    let updater = ParameterUpdater<Double>(optimizer: try Adam())
    var generator = SeededGenerator(seed: 7)
    let parameters = makeParameters(as: Double.self, using: &generator)
    let pieces = threeParts.map { part in
      part.map { (parameters[$0].path, parameters[$0].parameter, $1) }
    }
    // `parts` creates every slot before making the views, so all the parts it makes are current,
    // even on a fresh state.
    var parts = updater.parts(pieces)
    #expect(parts.count == 3)
    #expect(parts.allSatisfy { updater.isCurrent($0) })
    #expect(updater.state.slots.keys.sorted() == shapes.map(\.path).sorted())
    // Making them again on the same state leaves the earlier ones current (no slot is created).
    let again = updater.parts(pieces)
    #expect((parts + again).allSatisfy { updater.isCurrent($0) })

    // A new state has new slots: the parts' views point at the old ones.
    updater.state = OptimizerState()
    #expect(parts.allSatisfy { !updater.isCurrent($0) })
    parts = updater.parts(pieces)
    #expect(parts.allSatisfy { updater.isCurrent($0) })

    // Slots set in place (as loading a checkpoint does) replace the matrices the views show.
    updater.state.slots["layers.0.bias"] = [Matrix(rows: 1, cols: 4), Matrix(rows: 1, cols: 4)]
    #expect(parts.allSatisfy { !updater.isCurrent($0) })

    // Another updater's parts are never current here.
    let other = ParameterUpdater<Double>(optimizer: try Adam())
    let foreign = other.part([(parameters[1].path, parameters[1].parameter, 0..<4)])
    #expect(other.isCurrent(foreign))
    #expect(!updater.isCurrent(foreign))
  }

  @Test("a part's slots are views of the state's slots: an update in parts moves the state")
  func partsWriteTheStatesSlots() throws {
    let updater = ParameterUpdater<Double>(optimizer: try SGD(learningRate: 0.5, momentum: 0.9))
    let value = Matrix<Double>(rows: 2, cols: 3, scalars: [1, 2, 3, 4, 5, 6])
    let gradient = Matrix<Double>(rows: 2, cols: 3, scalars: [1, -1, 2, -2, 3, -3])
    let parameter = Parameter(name: "weight", value: value, gradient: gradient)
    let first = updater.part([("w.weight", parameter, 0..<4)])
    let second = updater.part([("w.weight", parameter, 4..<6)])
    let begun = updater.beginStep(epoch: 0, totalEpochs: 1)
    updater.update(second, step: begun.step, learningRate: begun.learningRate)
    updater.update(first, step: begun.step, learningRate: begun.learningRate)
    // First step: b = g, p ← p − 0.5·g.
    let buffer = try #require(updater.state.slots["w.weight"]?.first)
    #expect(buffer.scalars == gradient.scalars)
    #expect(value.scalars == [0.5, 2.5, 2, 5, 3.5, 7.5])
  }

  @Test("beginStep counts one step and gives the schedule's rate for the epoch")
  func beginStepCountsAndSchedules() throws {
    let schedule = try StepSchedule(stepSize: 2, gamma: 0.5)
    let updater = ParameterUpdater<Float>(optimizer: try SGD(learningRate: 0.8), schedule: schedule)
    for epoch in 0..<6 {
      let before = updater.state.step
      let begun = updater.beginStep(epoch: epoch, totalEpochs: 6)
      #expect(updater.state.step == before + 1)
      #expect(begun.step == updater.state.step)
      #expect(begun.learningRate == schedule.rate(epoch: epoch, totalEpochs: 6, baseRate: 0.8))
      #expect(begun.learningRate == updater.learningRate(epoch: epoch, totalEpochs: 6))
    }
    // Epochs 0–1: 0.8, 2–3: 0.4, 4–5: 0.2.
    #expect(updater.beginStep(epoch: 5, totalEpochs: 6).learningRate == 0.8 * 0.25)
    #expect(updater.state.step == 7)

    // Without a schedule, the base rate; a state given to init continues its count.
    let state = OptimizerState<Float>()
    state.step = 41
    let plain = ParameterUpdater<Float>(optimizer: try Adam(learningRate: 0.003), state: state)
    let begun = plain.beginStep(epoch: 9, totalEpochs: 10)
    #expect(begun.step == 42)
    #expect(begun.learningRate == 0.003)
  }

  @Test(
    "updateAll over several tensors equals update on each, bit for bit",
    arguments: BuiltInRule.allCases)
  func updateAllMatchesUpdateOnEach(rule: BuiltInRule) throws {
    let optimizer = try rule.make()
    expectUpdateAllMatchesUpdateOnEach(optimizer, as: Double.self, rule: rule)
    expectUpdateAllMatchesUpdateOnEach(optimizer, as: Float.self, rule: rule)
  }

  /// Runs four steps of `optimizer` over four tensors both ways from the same start and gradients.
  private func expectUpdateAllMatchesUpdateOnEach<S: NNScalar>(
    _ optimizer: any Optimizer, as type: S.Type, rule: BuiltInRule
  ) {
    var generator = SeededGenerator(seed: 99)
    let sizes = [(3, 5), (1, 5), (2, 3), (1, 1)]
    let random = { (rows: Int, cols: Int, generator: inout SeededGenerator) -> Matrix<S> in
      Matrix(
        rows: rows, cols: cols, scalars: (0..<(rows * cols)).map { _ in S(generator.normal()) })
    }
    let all = sizes.map { random($0.0, $0.1, &generator) }
    let start = all.map { $0.copy() }
    let each = all.map { $0.copy() }
    let state = { (parameter: Matrix<S>) in
      optimizer.stateSlots.map { slot -> Matrix<S> in
        let matrix = Matrix<S>(rows: parameter.rows, cols: parameter.cols)
        matrix.fill(S(slot.initialValue))
        return matrix
      }
    }
    let allStates = all.map(state)
    let eachStates = each.map(state)
    for step in 1...4 {
      let gradients = sizes.map { random($0.0, $0.1, &generator) }
      let rate = 0.05 / Double(step)
      optimizer.updateAll(
        all, gradients: gradients, states: allStates, step: step, learningRate: rate)
      for index in each.indices {
        optimizer.update(
          each[index], gradient: gradients[index], state: eachStates[index], step: step,
          learningRate: rate)
      }
      for index in all.indices {
        #expect(bits(all[index]) == bits(each[index]), "\(rule) \(S.self) step \(step) [\(index)]")
        #expect(
          zip(allStates[index], eachStates[index]).allSatisfy { bits($0) == bits($1) },
          "\(rule) \(S.self) step \(step) [\(index)] slots")
      }
    }
    // The comparison is not between two untouched copies: every tensor moved.
    for index in all.indices {
      #expect(bits(all[index]) != bits(start[index]), "\(rule) \(S.self) [\(index)] did not move")
    }
  }
}
