import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

/// The parameter and gradients every SGD golden test uses: p₀ = (1, −2), then g₁, g₂, g₃.
private let start = [1.0, -2.0]
private let gradients = [[0.5, -1.0], [0.25, 0.5], [-0.5, 2.0]]

// Reference (NumPy), the lines the numbers below were checked against:
//   b = g if t == 1 else mu*b + (1 - dampening)*g
//   d = g + mu*b if nesterov else b          # d = g when mu == 0
//   p = p - lr*d

@Suite("SGD") struct SGDTests {
  @Test("plain gradient descent: p ← p − γ·g, no state")
  func plainGradientDescent() throws {
    let sgd = try SGD(learningRate: 0.1)
    #expect(sgd.stateSlots.isEmpty)
    let (values, _) = trajectory(of: sgd, from: start, gradients: gradients)
    // p₁ = (1 − 0.1·0.5, −2 − 0.1·(−1))     = (0.95, −1.9)
    // p₂ = (0.95 − 0.1·0.25, −1.9 − 0.1·0.5)  = (0.925, −1.95)
    // p₃ = (0.925 − 0.1·(−0.5), −1.95 − 0.1·2) = (0.975, −2.15)
    expectClose(values[0], [0.95, -1.9])
    expectClose(values[1], [0.925, -1.95])
    expectClose(values[2], [0.975, -2.15])
  }

  @Test("momentum: the buffer b ← μ·b + g carries earlier gradients into later steps")
  func momentum() throws {
    let sgd = try SGD(learningRate: 0.1, momentum: 0.9)
    #expect(sgd.stateSlots == [StateSlot("momentum_buffer", initialValue: 0)])
    let (values, state) = trajectory(of: sgd, from: start, gradients: gradients)
    // b₁ = g₁ = (0.5, −1)                         p₁ = (0.95, −1.9)     (same as plain descent)
    // b₂ = 0.9·(0.5, −1) + (0.25, 0.5) = (0.7, −0.4)     p₂ = (0.95 − 0.07, −1.9 + 0.04) = (0.88, −1.86)
    // b₃ = 0.9·(0.7, −0.4) + (−0.5, 2) = (0.13, 1.64)    p₃ = (0.88 − 0.013, −1.86 − 0.164)
    //                                                       = (0.867, −2.024)
    expectClose(values[0], [0.95, -1.9])
    expectClose(values[1], [0.88, -1.86])
    expectClose(values[2], [0.867, -2.024])
    // Plain descent's p₂ was (0.925, −1.95): the buffer's memory of g₁ moved p₂ further.
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.13, 1.64])
  }

  @Test("Nesterov: the step is g + μ·b, a look-ahead that differs from plain momentum")
  func nesterov() throws {
    let sgd = try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
    let (values, _) = trajectory(of: sgd, from: start, gradients: gradients)
    // Same buffers as plain momentum; the step is d = g + 0.9·b:
    // d₁ = (0.5 + 0.45, −1 − 0.9)     = (0.95, −1.9)    p₁ = (0.905, −1.81)
    // d₂ = (0.25 + 0.63, 0.5 − 0.36)  = (0.88, 0.14)    p₂ = (0.817, −1.824)
    // d₃ = (−0.5 + 0.117, 2 + 1.476)  = (−0.383, 3.476) p₃ = (0.8553, −2.1716)
    expectClose(values[0], [0.905, -1.81])
    expectClose(values[1], [0.817, -1.824])
    expectClose(values[2], [0.8553, -2.1716])
  }

  @Test("dampening scales later gradients, but the buffer starts at the full first gradient")
  func dampening() throws {
    let sgd = try SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.5)
    let (values, _) = trajectory(of: sgd, from: start, gradients: gradients)
    // b₁ = g₁ = (0.5, −1) (PyTorch: no dampening on the first step)        p₁ = (0.95, −1.9)
    // b₂ = 0.9·(0.5, −1) + 0.5·(0.25, 0.5) = (0.575, −0.65)                p₂ = (0.8925, −1.835)
    // b₃ = 0.9·(0.575, −0.65) + 0.5·(−0.5, 2) = (0.2675, 0.415)            p₃ = (0.86575, −1.8765)
    expectClose(values[0], [0.95, -1.9])
    expectClose(values[1], [0.8925, -1.835])
    expectClose(values[2], [0.86575, -1.8765])
  }

  @Test("Float follows the same trajectory as Double")
  func floatPrecision() throws {
    let sgd = try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
    let (values, _) = trajectory(of: sgd, from: start, gradients: gradients, as: Float.self)
    expectClose(values[2], [0.8553, -2.1716], tolerance: 1e-6)
  }

  @Test("nesterov without momentum is rejected, naming the option")
  func nesterovNeedsMomentum() {
    #expect {
      _ = try SGD(nesterov: true)
    } throws: { error in
      let message = (error as? InputError)?.message ?? ""
      return message.contains("'nesterov'") && message.contains("momentum > 0")
    }
    #expect(throws: InputError.self) { _ = try SGD(momentum: 0.9, dampening: 0.1, nesterov: true) }
  }

  @Test("out-of-range hyperparameters are rejected, naming the option")
  func ranges() {
    for (make, option) in [
      ({ _ = try SGD(learningRate: 0) }, "lr"),
      ({ _ = try SGD(learningRate: -.infinity) }, "lr"),
      ({ _ = try SGD(momentum: 1) }, "momentum"),
      ({ _ = try SGD(momentum: -0.1) }, "momentum"),
      ({ _ = try SGD(dampening: 1.5) }, "dampening"),
    ] as [(() throws -> Void, String)] {
      #expect { try make() } throws: { error in
        (error as? InputError)?.message.contains("option '\(option)'") == true
      }
    }
  }

  @Test("converges on the ill-conditioned quadratic")
  func convergence() throws {
    // Plain descent is stable for γ < 2/c_max = 0.2; with γ = 0.15 the stiff coordinate contracts by
    // |1 − 1.5| = 0.5 and the flat one by 0.85 per step.
    Quadratic.expectConverges(try SGD(learningRate: 0.15), below: 1e-8, within: 100)
    Quadratic.expectConverges(try SGD(learningRate: 0.05, momentum: 0.9), below: 1e-8, within: 300)
    Quadratic.expectConverges(
      try SGD(learningRate: 0.05, momentum: 0.9, nesterov: true), below: 1e-8, within: 150)
  }
}
