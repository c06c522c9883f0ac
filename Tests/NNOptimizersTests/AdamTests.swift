import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

private let start = [1.0, -2.0]
private let gradients = [[0.5, -1.0], [0.25, 0.5], [-0.5, 2.0]]

// Reference (NumPy), the lines the numbers below were checked against:
//   m = b1*m + (1 - b1)*g;  v = b2*v + (1 - b2)*g*g
//   vmax = maximum(vmax, v)                                   # amsgrad only
//   m_hat = m/(1 - b1**t);  v_hat = (vmax if amsgrad else v)/(1 - b2**t)
//   p = p - lr*m_hat/(sqrt(v_hat) + eps)

@Suite("Adam") struct AdamTests {
  @Test("three steps: moments, bias correction and the update")
  func golden() throws {
    let adam = try Adam(learningRate: 0.1)
    #expect(adam.stateSlots.map(\.name) == ["exp_avg", "exp_avg_sq"])
    let (values, state) = trajectory(of: adam, from: start, gradients: gradients)
    // t = 1: m = 0.1·g₁ = (0.05, −0.1), v = 0.001·g₁² = (0.00025, 0.001)
    //        m̂ = m/0.1 = g₁, v̂ = v/0.001 = g₁², so the step is 0.1·g/(|g| + 1e-8):
    //        p₁ = (1 − 0.1·0.5/0.50000001, −2 + 0.1·1/1.00000001) = (0.900000002, −1.900000001)
    expectClose(values[0], [0.900000002, -1.900000001])
    // t = 2: m = 0.9·m + 0.1·(0.25, 0.5) = (0.07, −0.04)
    //        v = 0.999·v + 0.001·(0.0625, 0.25) = (0.00031225, 0.001249)
    //        m̂ = m/0.19 = (0.368421, −0.210526), v̂ = v/0.001999 = (0.156203, 0.624812)
    //        step = 0.1·m̂/√v̂ = (0.0932180, −0.0266337)    p₂ = (0.806782, −1.873366)
    expectClose(values[1], [0.8067820404774624, -1.873366297370903])
    // t = 3: m = (0.013, 0.164), v = (0.000561937, 0.005247751)
    //        m̂ = m/0.271 = (0.0479705, 0.605166), v̂ = v/0.002997001 = (0.187500, 1.750999)
    //        step = (0.0110783, 0.0457332)                  p₃ = (0.795704, −1.919099)
    expectClose(values[2], [0.7957037336010943, -1.9190994760260234])
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.013, 0.164])
    expectClose(state.slots["p"]?[1].scalars ?? [], [0.00056193775, 0.005247751])
  }

  @Test("bias correction: the first step moves every element by γ, whatever the gradient's scale")
  func firstStepBiasCorrection() throws {
    let adam = try Adam(learningRate: 0.1)
    let (values, _) = trajectory(of: adam, from: start, gradients: [[0.5, -1000]])
    // m̂ = g and v̂ = g², so Δp = −0.1·g/(|g| + ε): 0.1 for both elements (to ε).
    // Without the correction it would be 0.1·(0.1·g)/√(0.001·g²) = 0.316 for both.
    expectClose(values[0], [0.9, -1.9], tolerance: 1e-8)
  }

  @Test("AMSGrad divides by the largest second moment, not the current one")
  func amsgrad() throws {
    // A large gradient, then small ones: v shrinks (β₂ = 0.9 makes it quick) but v_max does not.
    let spike = [[1.0, -4.0], [0.1, 0.1], [0.1, 0.1]]
    let plain = try Adam(learningRate: 0.1, beta2: 0.9)
    let ams = try Adam(learningRate: 0.1, beta2: 0.9, amsgrad: true)
    #expect(ams.stateSlots.map(\.name) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
    let (plainValues, _) = trajectory(of: plain, from: start, gradients: spike)
    let (amsValues, state) = trajectory(of: ams, from: start, gradients: spike)
    // t = 1 is the same for both: v_max = v.
    expectClose(amsValues[0], plainValues[0])
    // t = 2: m = (0.1, −0.35), m̂ = m/0.19 = (0.526316, −1.842105)
    //        v = 0.9·(0.1, 1.6) + 0.1·0.01 = (0.091, 1.441), but v_max = (0.1, 1.6)
    //        AMSGrad: v̂ = v_max/0.19 = (0.526316, 8.421053), step = (0.0725476, −0.0634791)
    //        p₂ = (0.827452, −1.836521); plain Adam divides by the smaller v: (0.823949, −1.833110)
    expectClose(amsValues[1], [0.8274523769889988, -1.836520828584124])
    expectClose(plainValues[1], [0.8239494268596808, -1.833110299673714])
    expectClose(amsValues[2], [0.76670670406592, -1.7902022524084014])
    expectClose(state.slots["p"]?[2].scalars ?? [], [0.1, 1.6])
  }

  @Test("Float follows the same trajectory as Double")
  func floatPrecision() throws {
    let (values, _) = trajectory(
      of: try Adam(learningRate: 0.1), from: start, gradients: gradients, as: Float.self)
    expectClose(values[2], [0.7957037336010943, -1.9190994760260234], tolerance: 1e-6)
  }

  @Test("out-of-range hyperparameters are rejected, naming the option")
  func ranges() {
    for (make, option) in [
      ({ _ = try Adam(learningRate: 0) }, "lr"),
      ({ _ = try Adam(beta1: 1) }, "beta1"),
      ({ _ = try Adam(beta2: -0.5) }, "beta2"),
      ({ _ = try Adam(epsilon: 0) }, "eps"),
    ] as [(() throws -> Void, String)] {
      #expect { try make() } throws: { error in
        (error as? InputError)?.message.contains("optimizer 'adam' option '\(option)'") == true
      }
    }
  }

  @Test("converges on the ill-conditioned quadratic")
  func convergence() throws {
    Quadratic.expectConverges(try Adam(learningRate: 0.1), below: 1e-8, within: 300)
    Quadratic.expectConverges(try Adam(learningRate: 0.1, amsgrad: true), below: 1e-8, within: 300)
  }
}
