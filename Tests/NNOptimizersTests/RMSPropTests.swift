import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

private let start = [1.0, -2.0]
private let gradients = [[0.5, -1.0], [0.25, 0.5], [-0.5, 2.0]]

// Reference (NumPy):
//   v = a*v + (1 - a)*g*g
//   ga = a*ga + (1 - a)*g;  vt = v - ga*ga if centered else v
//   b = mu*b + g/(sqrt(vt) + eps);  p = p - lr*b      # mu > 0
//   p = p - lr*g/(sqrt(vt) + eps)                     # mu = 0

@Suite("RMSProp") struct RMSPropTests {
  @Test("three steps: the running average of g² sets each element's step")
  func golden() throws {
    let rmsprop = try RMSProp(learningRate: 0.01, alpha: 0.9)
    #expect(rmsprop.stateSlots.map(\.name) == ["square_avg"])
    let (values, state) = trajectory(of: rmsprop, from: start, gradients: gradients)
    // t = 1: v = 0.1·g² = (0.025, 0.1), √v = (0.158114, 0.316228), g/√v = ±1/√0.1 = ±3.162278
    //        p₁ = (1 − 0.0316228, −2 + 0.0316228) = (0.968377, −1.968377)
    expectClose(values[0], [0.968377225398316, -1.9683772243983162])
    // t = 2: v = 0.9·(0.025, 0.1) + 0.1·(0.0625, 0.25) = (0.02875, 0.115)
    //        g/√v = (0.25/0.169558, 0.5/0.339116) = (1.474420, 1.474420)
    //        p₂ = (0.953633, −1.983121)
    expectClose(values[1], [0.9536330306523915, -1.9831214195790232])
    // t = 3: v = (0.050875, 0.5035), g/√v = (−2.216755, 2.818579): p₃ = (0.975801, −2.011307)
    expectClose(values[2], [0.9758005845956642, -2.0113072121901165])
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.050875, 0.5035])
  }

  @Test("centered: divides by √(v − ḡ²)")
  func centered() throws {
    let rmsprop = try RMSProp(learningRate: 0.01, alpha: 0.9, centered: true)
    #expect(rmsprop.stateSlots.map(\.name) == ["square_avg", "grad_avg"])
    let (values, _) = trajectory(of: rmsprop, from: start, gradients: gradients)
    // t = 1: ḡ = 0.1·g = (0.05, −0.1), v − ḡ² = (0.0225, 0.09), √ = (0.15, 0.3)
    //        g/√ = ±3.333333: p₁ = (0.966667, −1.966667)
    expectClose(values[0], [0.9666666688888887, -1.9666666677777778])
    expectClose(values[2], [0.9726830369944488, -2.0104846910611855])
  }

  @Test("momentum: b ← μ·b + g/(√v + ε), p ← p − γ·b")
  func momentum() throws {
    let rmsprop = try RMSProp(learningRate: 0.01, alpha: 0.9, momentum: 0.5)
    #expect(rmsprop.stateSlots.map(\.name) == ["square_avg", "momentum_buffer"])
    let (values, _) = trajectory(of: rmsprop, from: start, gradients: gradients)
    // t = 1: b = (3.162278, −3.162278), the same step as without momentum
    expectClose(values[0], [0.968377225398316, -1.9683772243983162])
    // t = 2: b = 0.5·b + (1.474420, 1.474420) = (3.055559, −0.106719)
    //        p₂ = (0.968377 − 0.0305556, −1.968377 + 0.00106719) = (0.937822, −1.967310)
    expectClose(values[1], [0.9378216433515495, -1.9673100317781813])
    expectClose(values[2], [0.9447114062714389, -1.9949622280792072])
  }

  @Test("centered with momentum keeps three slots in order")
  func allSlots() throws {
    let rmsprop = try RMSProp(alpha: 0.9, momentum: 0.5, centered: true)
    #expect(rmsprop.stateSlots.map(\.name) == ["square_avg", "grad_avg", "momentum_buffer"])
    let (_, state) = trajectory(of: rmsprop, from: start, gradients: [[0.5, -1.0]])
    // After one step: v = 0.1·g², ḡ = 0.1·g, b = g/(√(v − ḡ²) + ε) = ±3.333333 (ε aside).
    let slots = state.slots["p"] ?? []
    expectClose(slots[0].scalars, [0.025, 0.1])
    expectClose(slots[1].scalars, [0.05, -0.1])
    expectClose(slots[2].scalars, [10.0 / 3, -10.0 / 3], tolerance: 1e-6)
  }

  @Test("Float follows the same trajectory as Double")
  func floatPrecision() throws {
    let (values, _) = trajectory(
      of: try RMSProp(learningRate: 0.01, alpha: 0.9), from: start, gradients: gradients,
      as: Float.self)
    expectClose(values[2], [0.9758005845956642, -2.0113072121901165], tolerance: 1e-6)
  }

  @Test("out-of-range hyperparameters are rejected, naming the option")
  func ranges() {
    for (make, option) in [
      ({ _ = try RMSProp(learningRate: -1) }, "lr"),
      ({ _ = try RMSProp(alpha: 1) }, "alpha"),
      ({ _ = try RMSProp(epsilon: 0) }, "eps"),
      ({ _ = try RMSProp(momentum: 1) }, "momentum"),
    ] as [(() throws -> Void, String)] {
      #expect { try make() } throws: { error in
        (error as? InputError)?.message.contains("option '\(option)'") == true
      }
    }
  }

  @Test("converges on the ill-conditioned quadratic")
  func convergence() throws {
    Quadratic.expectConverges(try RMSProp(learningRate: 0.01), below: 1e-8, within: 800)
    Quadratic.expectConverges(
      try RMSProp(learningRate: 0.01, centered: true), below: 1e-8, within: 700)
    Quadratic.expectConverges(
      try RMSProp(learningRate: 0.01, momentum: 0.5), below: 1e-8, within: 450)
  }
}
