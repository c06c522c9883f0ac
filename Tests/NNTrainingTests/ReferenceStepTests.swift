import Foundation
import NNActivations
import NNLayers
import NNLosses
import NNOptimizers
import NNProtocols
import NNTraining
import Testing

@Suite struct ReferenceStepTests {
  /// A 1-2-1 network (sigmoid, then identity) on ½·mean squared error, computed by hand as the first
  /// tutorial does, against the reference step's loss, gradients and SGD update.
  @Test func oneStepIsTheTutorialsArithmetic() throws {
    let w1 = [0.5, -0.3]
    let b1 = [0.1, 0.2]
    let w2 = [0.7, -0.4]
    let b2 = 0.05
    let xs = [-1.0, 0.5, 2.0]
    let ys = [0.2, -0.1, 0.9]
    let network = Network<Double>(layers: [
      Dense(
        weight: Matrix(rows: 2, cols: 1, scalars: w1), bias: Matrix(rows: 1, cols: 2, scalars: b1),
        activation: Sigmoid()),
      Dense(
        weight: Matrix(rows: 1, cols: 2, scalars: w2),
        bias: Matrix(rows: 1, cols: 1, scalars: [b2]),
        activation: Identity()),
    ])
    // By hand: Z1 = x·W1ᵀ + b1, A1 = σ(Z1), A2 = A1·W2ᵀ + b2, L = ½/m·Σ(A2 − Y)², dA2 = (A2 − Y)/m.
    let m = Double(xs.count)
    var loss = 0.0
    var dW1 = [0.0, 0.0]
    var db1 = [0.0, 0.0]
    var dW2 = [0.0, 0.0]
    var db2 = 0.0
    for (x, y) in zip(xs, ys) {
      let a1 = (0..<2).map { 1 / (1 + exp(-(x * w1[$0] + b1[$0]))) }
      let a2 = a1[0] * w2[0] + a1[1] * w2[1] + b2
      loss += 0.5 * (a2 - y) * (a2 - y) / m
      let dA2 = (a2 - y) / m
      db2 += dA2
      for j in 0..<2 {
        dW2[j] += dA2 * a1[j]
        let dZ1 = dA2 * w2[j] * a1[j] * (1 - a1[j])
        dW1[j] += dZ1 * x
        db1[j] += dZ1
      }
    }
    let step = ReferenceStep(network: network, loss: HalfMeanSquaredError())
    #expect(step.kind == .reference)
    let x = Matrix<Double>(rows: 3, cols: 1, scalars: xs)
    let y = Matrix<Double>(rows: 3, cols: 1, scalars: ys)
    let lr = 0.1
    let value = step.train(
      x, y, updater: ParameterUpdater(optimizer: try SGD(learningRate: lr)), epoch: 0,
      totalEpochs: 1)
    #expect(abs(value - loss) <= 1e-15)
    let expected: [[Double]] = [dW1, db1, dW2, [db2]]
    let before: [[Double]] = [w1, b1, w2, [b2]]
    for (index, entry) in network.parameters.enumerated() {
      for i in 0..<expected[index].count {
        #expect(
          abs(entry.parameter.gradient.base[i] - expected[index][i]) <= 1e-15, "\(entry.path)")
        // θ ← θ − η·dθ
        let updated = before[index][i] - lr * expected[index][i]
        #expect(abs(entry.parameter.value.base[i] - updated) <= 1e-15, "\(entry.path)")
      }
    }
  }

  /// The gradients alone, without an update; the workspace grows for a larger batch.
  @Test func gradientsLeaveTheParametersAndGrowForLargerBatches() throws {
    var generator = SeededGenerator(seed: 3)
    let network = try Network<Double>(
      builders: [DenseBuilder(units: 3, activation: Tanh()), DenseBuilder(units: 2)], inputSize: 2,
      generator: &generator)
    let before = network.parameters.map { $0.parameter.value.scalars }
    let step = ReferenceStep(network: network, loss: MeanSquaredError())
    for rows in [2, 5, 1] {
      let x = Matrix<Double>(rows: rows, cols: 2)
      let y = Matrix<Double>(rows: rows, cols: 2)
      for i in 0..<x.count { x.base[i] = generator.normal() }
      for i in 0..<y.count { y.base[i] = generator.normal() }
      let expected = MeanSquaredError().value(
        predictions: network.predict(x), targets: y)
      #expect(abs(step.gradients(x, y) - expected) <= 1e-15 * max(1, expected))
    }
    #expect(network.parameters.map { $0.parameter.value.scalars } == before)
  }
}
