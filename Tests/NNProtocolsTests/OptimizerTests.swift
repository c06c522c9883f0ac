import NNProtocols
import Testing

/// Plain gradient descent written with `update` only, with one slot that counts its calls.
private struct CountingDescent: Optimizer {
  var name: String { "counting_descent" }
  var stateSlots: [StateSlot] { [StateSlot("calls", initialValue: 10)] }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int, learningRate: Double
  ) {
    for i in 0..<parameter.count { parameter.base[i] -= S(learningRate) * gradient.base[i] }
    state[0].base[0] += 1
  }
}

/// An optimizer that declares only its name and update.
private struct Bare: Optimizer {
  var name: String { "bare" }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int, learningRate: Double
  ) {}
}

@Suite("Optimizer")
struct OptimizerTests {
  @Test("the defaults: no slots, not elementwise, no training requirement")
  func defaults() {
    let bare = Bare()
    #expect(bare.stateSlots.isEmpty)
    #expect(!bare.isElementwise)
    #expect(bare.requirements.isEmpty)
    #expect(TrainingRequirement.fullBatch.description == "full batch only")
  }

  @Test("the default updateAll updates every parameter once with its own gradient and slots")
  func updateAllDefault() {
    let optimizer = CountingDescent()
    let state = OptimizerState<Double>()
    let parameters = [Matrix<Double>([[1, 2]]), Matrix<Double>([[3]])]
    let gradients = [Matrix<Double>([[0.5, -1]]), Matrix<Double>([[2]])]
    let slots = parameters.enumerated().map { index, parameter in
      state.slots(for: "p\(index)", shapedLike: parameter, optimizer: optimizer)
    }
    optimizer.updateAll(parameters, gradients: gradients, states: slots, step: 1, learningRate: 0.5)
    #expect(parameters[0].scalars == [0.75, 2.5])
    #expect(parameters[1].scalars == [2])
    #expect(slots.map { $0[0].base[0] } == [11, 11], "each parameter updated once")
  }

  @Test("OptimizerState creates slots once, shaped like the parameter, at their initial values")
  func stateSlots() {
    let state = OptimizerState<Float>()
    let parameter = Matrix<Float>(rows: 2, cols: 3)
    let revision = state.revision
    let slots = state.slots(
      for: "layers.0.weight", shapedLike: parameter, optimizer: CountingDescent())
    #expect(slots.count == 1 && slots[0].shape == [2, 3])
    #expect(slots[0].scalars.allSatisfy { $0 == 10 })
    #expect(state.revision != revision, "a new slot changes the revision")
    let again = state.slots(
      for: "layers.0.weight", shapedLike: parameter, optimizer: CountingDescent())
    #expect(again[0].storage === slots[0].storage, "the same slots come back")
    #expect(state.slots(for: "b", shapedLike: parameter, optimizer: Bare()).isEmpty)
  }

  @Test("advanceStep counts updates")
  func stepCounting() {
    let state = OptimizerState<Double>()
    #expect(state.step == 0)
    #expect(state.advanceStep() == 1)
    #expect(state.advanceStep() == 2 && state.step == 2)
  }
}
