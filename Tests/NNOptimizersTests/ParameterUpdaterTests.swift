import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

/// A parameter named by `path`, with the given values and gradient.
private func parameter(
  _ path: String, _ values: [Double], gradient: [Double]
) -> (path: String, parameter: Parameter<Double>) {
  let name = String(path.split(separator: ".").last ?? "")
  return (
    path,
    Parameter(
      name: name, value: Matrix(rows: 1, cols: values.count, scalars: values),
      gradient: Matrix(rows: 1, cols: gradient.count, scalars: gradient))
  )
}

/// The L2 norm of every gradient together.
private func globalNorm(_ parameters: [(path: String, parameter: Parameter<Double>)]) -> Double {
  parameters.flatMap { $0.parameter.gradient.scalars }.reduce(0) { $0 + $1 * $1 }.squareRoot()
}

@Suite("ParameterUpdater") struct ParameterUpdaterTests {
  @Test("a step uses the state as it is now: replaced, changed in place, or new paths")
  func slotsFollowTheCurrentState() throws {
    // SGD with momentum μ = 0.5, γ = 1: v ← μ·v + g, p ← p − v.
    let updater = ParameterUpdater<Double>(
      optimizer: try SGD(learningRate: 1, momentum: 0.5))
    let weight = parameter("layers.0.weight", [0], gradient: [1])
    updater.step([weight], epoch: 0, totalEpochs: 1)  // v = 1, p = −1
    updater.step([weight], epoch: 0, totalEpochs: 1)  // v = 1.5, p = −2.5
    expectClose(weight.parameter.value.scalars, [-2.5])

    // A velocity set in place (as loading a checkpoint does) is the one the next step continues.
    updater.state.slots["layers.0.weight"] = [Matrix(rows: 1, cols: 1, scalars: [10])]
    updater.step([weight], epoch: 0, totalEpochs: 1)  // v = 6, p = −8.5
    expectClose(weight.parameter.value.scalars, [-8.5])

    // A fresh state starts from zero velocity again.
    updater.state = OptimizerState()
    updater.step([weight], epoch: 0, totalEpochs: 1)  // v = 1, p = −9.5
    expectClose(weight.parameter.value.scalars, [-9.5])

    // Another parameter list gets its own slots; the first keeps its velocity.
    let bias = parameter("layers.0.bias", [0], gradient: [2])
    updater.step([bias, weight], epoch: 0, totalEpochs: 1)  // bias v = 2; weight v = 1.5
    expectClose(bias.parameter.value.scalars, [-2])
    expectClose(weight.parameter.value.scalars, [-11])
  }

  @Test("clipping scales the global norm to exactly c and keeps the direction")
  func clipsAboveTheLimit() throws {
    let updater = ParameterUpdater<Double>(optimizer: try SGD(learningRate: 1), clipNorm: 2.5)
    // Gradients (3, 0) and (0, 4): global norm √(9 + 16) = 5 > 2.5, so both are scaled by 0.5.
    let parameters = [
      parameter("layers.0.weight", [1, 1], gradient: [3, 0]),
      parameter("layers.0.bias", [1, 1], gradient: [0, 4]),
    ]
    let norm = updater.step(parameters, epoch: 0, totalEpochs: 1)
    #expect(norm == 5)  // the norm before clipping
    #expect(isApproximatelyEqual(globalNorm(parameters), 2.5, relative: 1e-15))
    expectClose(parameters[0].parameter.gradient.scalars, [1.5, 0])
    expectClose(parameters[1].parameter.gradient.scalars, [0, 2])
    // SGD with γ = 1 then moved each parameter by the clipped gradient.
    expectClose(parameters[0].parameter.value.scalars, [-0.5, 1])
    expectClose(parameters[1].parameter.value.scalars, [1, -1])
  }

  @Test("no clipping at or below the limit, nor when clipping is off")
  func doesNotClipBelowTheLimit() throws {
    for clip in [0.0, 5.0, 10.0] {
      let updater = ParameterUpdater<Double>(optimizer: try SGD(learningRate: 1), clipNorm: clip)
      let parameters = [
        parameter("a.weight", [0, 0], gradient: [3, 0]),
        parameter("b.weight", [0, 0], gradient: [0, 4]),
      ]
      #expect(updater.step(parameters, epoch: 0, totalEpochs: 1) == 5)
      expectClose(parameters[0].parameter.gradient.scalars, [3, 0])
      expectClose(parameters[1].parameter.value.scalars, [0, -4])
    }
  }

  @Test("without clipping, measuringNorm: false skips the norm and leaves the gradients")
  func skipsTheNormWhenNotAsked() throws {
    let updater = ParameterUpdater<Double>(optimizer: try SGD(learningRate: 1))
    let parameters = [parameter("a.weight", [0, 0], gradient: [3, 4])]
    #expect(updater.step(parameters, epoch: 0, totalEpochs: 1, measuringNorm: false).isNaN)
    expectClose(parameters[0].parameter.gradient.scalars, [3, 4])
    expectClose(parameters[0].parameter.value.scalars, [-3, -4])
    // Clipping needs the norm, so it is measured (and returned) anyway.
    let clipping = ParameterUpdater<Double>(optimizer: try SGD(learningRate: 1), clipNorm: 1)
    let clipped = [parameter("a.weight", [0, 0], gradient: [3, 4])]
    #expect(clipping.step(clipped, epoch: 0, totalEpochs: 1, measuringNorm: false) == 5)
    expectClose(clipped[0].parameter.value.scalars, [-0.6, -0.8])
  }

  @Test("clipping works in Float")
  func clipsInFloat() throws {
    let updater = ParameterUpdater<Float>(optimizer: try SGD(), clipNorm: 1)
    let gradient = Matrix<Float>(rows: 2, cols: 3, scalars: [1, -2, 3, -4, 5, -6])
    let parameters = [
      (
        path: "w.weight",
        parameter: Parameter(name: "weight", value: Matrix(rows: 2, cols: 3), gradient: gradient)
      )
    ]
    let norm = updater.step(parameters, epoch: 0, totalEpochs: 1)
    #expect(isApproximatelyEqual(norm, 91.0.squareRoot()))
    let clipped = gradient.scalars.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
    #expect(abs(clipped - 1) < 1e-6)
  }

  @Test("coupled weight decay adds λ·W to weights' gradients, not to biases'")
  func weightDecay() throws {
    let updater = ParameterUpdater<Double>(
      optimizer: try SGD(learningRate: 0.1), weightDecay: 0.5)
    let parameters = [
      parameter("layers.0.weight", [2, -4], gradient: [0, 1]),
      parameter("layers.0.bias", [2, -4], gradient: [0, 1]),
    ]
    let norm = updater.step(parameters, epoch: 0, totalEpochs: 1)
    // Weight: g = (0, 1) + 0.5·(2, −4) = (1, −1); p = (2, −4) − 0.1·(1, −1) = (1.9, −3.9).
    expectClose(parameters[0].parameter.gradient.scalars, [1, -1])
    expectClose(parameters[0].parameter.value.scalars, [1.9, -3.9])
    // Bias: g = (0, 1) unchanged; p = (2, −4.1).
    expectClose(parameters[1].parameter.gradient.scalars, [0, 1])
    expectClose(parameters[1].parameter.value.scalars, [2, -4.1])
    // The returned norm includes the decay term: √(1 + 1 + 0 + 1) = √3.
    #expect(isApproximatelyEqual(norm, 3.0.squareRoot()))
  }

  @Test("state is kept per path: two parameters do not share slots")
  func statePerPath() throws {
    let updater = ParameterUpdater<Double>(optimizer: try SGD(learningRate: 0.1, momentum: 0.9))
    let first = parameter("layers.0.weight", [0, 0], gradient: [1, 1])
    let second = parameter("layers.1.weight", [0, 0], gradient: [-2, 3])
    for _ in 0..<2 { updater.step([first, second], epoch: 0, totalEpochs: 1) }
    let a = try #require(updater.state.slots["layers.0.weight"]?.first)
    let b = try #require(updater.state.slots["layers.1.weight"]?.first)
    #expect(a.storage !== b.storage)
    // b₁ = g, b₂ = 0.9·g + g = 1.9·g, each from its own gradient.
    expectClose(a.scalars, [1.9, 1.9])
    expectClose(b.scalars, [-3.8, 5.7])
    // p = −0.1·(g + 1.9·g) = −0.29·g
    expectClose(first.parameter.value.scalars, [-0.29, -0.29])
    expectClose(second.parameter.value.scalars, [0.58, -0.87])
  }

  @Test("slots are shaped like their parameter and start at the slot's initial value")
  func slotShapes() throws {
    let optimizer = try Rprop(initialStep: 0.25)
    let updater = ParameterUpdater<Double>(optimizer: optimizer)
    let weight = Parameter(
      name: "weight", value: Matrix<Double>(rows: 3, cols: 4), gradient: Matrix(rows: 3, cols: 4))
    let bias = Parameter(
      name: "bias", value: Matrix<Double>(rows: 1, cols: 4), gradient: Matrix(rows: 1, cols: 4))
    updater.step([("l.weight", weight), ("l.bias", bias)], epoch: 0, totalEpochs: 1)
    let weightSlots = try #require(updater.state.slots["l.weight"])
    let biasSlots = try #require(updater.state.slots["l.bias"])
    #expect(weightSlots.map(\.shape) == [[3, 4], [3, 4]])
    #expect(biasSlots.map(\.shape) == [[1, 4], [1, 4]])
    // A zero gradient leaves the step sizes at their initial value.
    #expect(weightSlots[0].scalars.allSatisfy { $0 == 0.25 })
    #expect(weightSlots[1].scalars.allSatisfy { $0 == 0 })
  }

  @Test("state.step counts calls, not parameters, and reaches the optimizer 1-based")
  func stepCount() throws {
    let updater = ParameterUpdater<Double>(optimizer: try Adam(learningRate: 0.1))
    let parameters = (0..<3).map { parameter("layers.\($0).weight", [0], gradient: [1]) }
    #expect(updater.state.step == 0)
    updater.step(parameters, epoch: 0, totalEpochs: 1)
    #expect(updater.state.step == 1)
    // With the 1-based step, Adam's first move is exactly γ (m̂ = g, v̂ = g²).
    expectClose(parameters[0].parameter.value.scalars, [-0.1], tolerance: 1e-8)
    for _ in 0..<3 { updater.step(parameters, epoch: 0, totalEpochs: 1) }
    #expect(updater.state.step == 4)
  }

  @Test("the base rate comes from the optimizer; the schedule scales it per epoch")
  func learningRates() throws {
    let plain = ParameterUpdater<Double>(optimizer: try Adam())
    #expect(plain.baseLearningRate == 0.001)
    #expect(plain.learningRate(epoch: 7, totalEpochs: 10) == 0.001)

    let scheduled = ParameterUpdater<Double>(
      optimizer: try SGD(learningRate: 1), schedule: try StepSchedule(stepSize: 1, gamma: 0.5))
    #expect(scheduled.learningRate(epoch: 2, totalEpochs: 10) == 0.25)
    // The scheduled rate is the one the optimizer uses: p = 0 − 0.25·2.
    let p = parameter("w.weight", [0], gradient: [2])
    scheduled.step([p], epoch: 2, totalEpochs: 10)
    expectClose(p.parameter.value.scalars, [-0.5])

    let overridden = ParameterUpdater<Double>(optimizer: try SGD(), learningRate: 0.3)
    #expect(overridden.baseLearningRate == 0.3)
  }

  @Test("a state given to init is continued")
  func resumesState() throws {
    let optimizer = try SGD(learningRate: 0.1, momentum: 0.9)
    let state = OptimizerState<Double>()
    state.step = 1
    state.slots["w.weight"] = [Matrix(rows: 1, cols: 1, scalars: [1])]
    let updater = ParameterUpdater(optimizer: optimizer, state: state)
    let p = parameter("w.weight", [0], gradient: [1])
    updater.step([p], epoch: 0, totalEpochs: 1)
    // Step 2 with the saved buffer: b = 0.9·1 + 1 = 1.9, p = −0.19.
    expectClose(p.parameter.value.scalars, [-0.19])
    #expect(updater.state.step == 2)
  }
}
