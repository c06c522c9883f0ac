import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

private let start = [1.0, -2.0]
private let gradients = [[0.5, -1.0], [0.25, 0.5], [-0.5, 2.0]]

// Reference (NumPy):
//   p = p*(1 - lr*wd)                      # AdamW: decoupled decay first
//   g = g + l2*p                           # Adam with L2 instead: the decay goes through g
//   m = b1*m + (1 - b1)*g;  v = b2*v + (1 - b2)*g*g
//   p = p - lr*(m/(1 - b1**t))/(sqrt(v/(1 - b2**t)) + eps)

@Suite("AdamW") struct AdamWTests {
  @Test("three steps: p ← p·(1 − γλ), then the Adam step")
  func golden() throws {
    let adamw = try AdamW(learningRate: 0.1, weightDecay: 0.5)
    let (values, _) = trajectory(of: adamw, from: start, gradients: gradients)
    // t = 1: decay by 1 − 0.1·0.5 = 0.95: (0.95, −1.9); then Adam's first step, 0.1 against sign(g):
    //        p₁ = (0.850000002, −1.800000001)
    expectClose(values[0], [0.850000002, -1.800000001])
    // t = 2: decay: (0.8075, −1.71); Adam's step is the same as plain Adam's (0.0932180, −0.0266337),
    //        because the moments only see g: p₂ = (0.714282, −1.683366)
    expectClose(values[1], [0.7142820403774623, -1.683366297320903])
    // t = 3: decay: (0.678568, −1.599198); Adam step (0.0110783, 0.0457332): p₃ = (0.667490, −1.644931)
    expectClose(values[2], [0.6674896314822211, -1.644931161109978])
  }

  @Test("decoupled decay differs from Adam with an L2 penalty")
  func decoupledVersusL2() throws {
    // Adam with L2: the updater adds λ·W to the gradient of a path ending in "weight", and Adam then
    // normalizes it with the rest: at t = 1 the step is 0.1·sign(g + λp), whatever λ.
    let updater = ParameterUpdater<Double>(optimizer: try Adam(learningRate: 0.1), weightDecay: 0.5)
    let value = Matrix<Double>(rows: 1, cols: 2, scalars: start)
    let gradient = Matrix<Double>(rows: 1, cols: 2)
    let parameters = [
      (
        path: "layers.0.weight",
        parameter: Parameter(name: "weight", value: value, gradient: gradient)
      )
    ]
    var withL2: [[Double]] = []
    for g in gradients {
      for i in 0..<2 { gradient.base[i] = g[i] }
      updater.step(parameters, epoch: 0, totalEpochs: 1)
      withL2.append(value.scalars)
    }
    // t = 1: g + 0.5·p = (1, −2): p₁ = (0.900000001, −1.9000000005), not AdamW's (0.85, −1.8).
    expectClose(withL2[0], [0.900000001, -1.9000000005])
    expectClose(withL2[2], [0.7324079365962812, -1.7925703015932963])
    let (decoupled, _) = trajectory(
      of: try AdamW(learningRate: 0.1, weightDecay: 0.5), from: start, gradients: gradients)
    #expect(abs(decoupled[2][0] - withL2[2][0]) > 0.05)
  }

  @Test("with a zero gradient only the decay acts: p_t = p₀·(1 − γλ)ᵗ")
  func pureDecay() throws {
    let adamw = try AdamW(learningRate: 0.1, weightDecay: 0.5)
    let zeros = Array(repeating: [0.0, 0.0], count: 3)
    let (values, _) = trajectory(of: adamw, from: start, gradients: zeros)
    // m = v = 0, so Adam's step is 0/(0 + ε) = 0; 0.95³ = 0.857375.
    expectClose(values[2], [0.857375, -1.71475])
  }

  @Test("weight_decay 0 is Adam")
  func zeroDecayIsAdam() throws {
    let (adamw, _) = trajectory(
      of: try AdamW(learningRate: 0.1, weightDecay: 0), from: start, gradients: gradients)
    let (adam, _) = trajectory(of: try Adam(learningRate: 0.1), from: start, gradients: gradients)
    #expect(adamw == adam)
  }

  @Test("defaults and ranges")
  func defaultsAndRanges() throws {
    let adamw = try AdamW()
    #expect(adamw.learningRate == 0.001 && adamw.weightDecay == 0.01)
    #expect(adamw.adam == (try Adam()))
    #expect { _ = try AdamW(weightDecay: -1) } throws: { error in
      (error as? InputError)?.message.contains("optimizer 'adamw' option 'weight_decay'") == true
    }
    #expect { _ = try AdamW(beta1: 1) } throws: { error in
      (error as? InputError)?.message.contains("optimizer 'adamw' option 'beta1'") == true
    }
  }

  @Test("converges near the minimum; the decay pulls the fixed point slightly towards 0")
  func convergence() throws {
    Quadratic.expectConverges(try AdamW(learningRate: 0.1), below: 1e-3, within: 200)
    Quadratic.expectConverges(
      try AdamW(learningRate: 0.1, weightDecay: 0.001), below: 1e-5, within: 200)
  }
}
