import NNOptimizers
import NNProtocols
import Testing

/// An optimizer written by a user, without a `learningRate`: p ← p − γ·sign(g).
private struct SignDescent: Optimizer {
  var name: String { "sign_descent" }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {
    for i in 0..<parameter.count {
      parameter.base[i] -=
        S(learningRate) * (gradient.base[i] > 0 ? 1 : gradient.base[i] < 0 ? -1 : 0)
    }
  }
}

@Suite("LearningRateOptimizer") struct LearningRateOptimizerTests {
  @Test("every built-in optimizer declares its base rate")
  func builtins() throws {
    let rates: [(any Optimizer, Double)] = [
      (try SGD(), 0.01), (try Adam(), 0.001), (try AdamW(), 0.001), (try RMSProp(), 0.01),
      (try Adagrad(), 0.01), (try Rprop(), 0.01),
    ]
    for (optimizer, rate) in rates {
      #expect((optimizer as? any LearningRateOptimizer)?.learningRate == rate, "\(optimizer.name)")
    }
  }

  @Test("an optimizer without one gets its rate from the updater")
  func userOptimizer() {
    let updater = ParameterUpdater<Double>(optimizer: SignDescent(), learningRate: 0.25)
    let value = Matrix<Double>([[1, 1]])
    let gradient = Matrix<Double>([[3, -0.5]])
    updater.step(
      [("w.weight", Parameter(name: "weight", value: value, gradient: gradient))], epoch: 0,
      totalEpochs: 1)
    #expect(value.scalars == [0.75, 1.25])
    #expect(updater.state.slots["w.weight"]?.isEmpty == true)
  }
}
