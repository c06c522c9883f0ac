import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

private let start = [1.0, -2.0]
/// Element 0 keeps its sign for three steps, flips at step 4, then keeps the new sign; element 1
/// never flips.
private let gradients = [[0.5, -1.0], [0.25, -0.5], [0.1, -0.3], [-0.2, -0.1], [-0.3, -0.1]]

// Reference (NumPy), as torch.optim.Rprop:
//   s = sign(g*prev);  f = where(s > 0, eta_plus, where(s < 0, eta_minus, 1))
//   step = clip(step*f, step_min, step_max);  g = where(s < 0, 0, g)
//   p = p - sign(g)*step;  prev = g

@Suite("Rprop") struct RpropTests {
  @Test("grows 1.2× while the sign holds; on a flip shrinks 0.5× and skips the move")
  func golden() throws {
    let rprop = try Rprop(initialStep: 0.1)
    let (values, state) = trajectory(of: rprop, from: start, gradients: gradients)
    // t = 1: no previous gradient, Δ = 0.1:           p₁ = (1 − 0.1, −2 + 0.1)       = (0.9, −1.9)
    expectClose(values[0], [0.9, -1.9])
    // t = 2: same signs, Δ = 0.12:                    p₂ = (0.78, −1.78)
    expectClose(values[1], [0.78, -1.78])
    // t = 3: same signs, Δ = 0.144:                   p₃ = (0.636, −1.636)
    expectClose(values[2], [0.636, -1.636])
    // t = 4: element 0 flips: Δ₀ = 0.072, no move, g_prev₀ ← 0; element 1: Δ₁ = 0.1728
    //                                                 p₄ = (0.636, −1.4632)
    expectClose(values[3], [0.636, -1.4632])
    // t = 5: element 0 has g_prev = 0: Δ₀ stays 0.072 and it moves; element 1: Δ₁ = 0.20736
    //                                                 p₅ = (0.708, −1.25584)
    expectClose(values[4], [0.708, -1.25584])
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.072, 0.20736])
    expectClose(state.slots["p"]?[1].scalars ?? [], [-0.3, -0.1])
  }

  @Test("the state after a flip holds a zero previous gradient")
  func flipStoresZero() throws {
    let (_, state) = trajectory(
      of: try Rprop(initialStep: 0.1), from: start, gradients: Array(gradients.prefix(4)))
    expectClose(state.slots["p"]?[1].scalars ?? [], [0, -0.1])
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.072, 0.1728])
  }

  @Test("step sizes are clamped to [step_min, step_max]")
  func clamping() throws {
    let rprop = try Rprop(initialStep: 0.1, stepMin: 0.08, stepMax: 0.13)
    let (values, state) = trajectory(of: rprop, from: start, gradients: gradients)
    // Δ: 0.1, 0.12, then 0.144 → 0.13 (step_max); at the flip 0.065 → 0.08 (step_min).
    expectClose(values[2], [0.65, -1.65])
    expectClose(values[3], [0.65, -1.52])
    expectClose(values[4], [0.73, -1.39])
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.08, 0.13])
  }

  @Test("the learning rate passed to update is ignored")
  func ignoresLearningRate() throws {
    let rprop = try Rprop(initialStep: 0.1)
    let (given, _) = trajectory(of: rprop, from: start, gradients: gradients, learningRate: 123)
    let (own, _) = trajectory(of: rprop, from: start, gradients: gradients)
    #expect(given == own)
  }

  @Test("slots: step_size starts at initial_step, prev at 0; PyTorch's defaults")
  func slotsAndDefaults() throws {
    let rprop = try Rprop()
    #expect(
      rprop.stateSlots == [StateSlot("step_size", initialValue: 0.01), StateSlot("prev")])
    #expect(rprop.learningRate == 0.01)
    #expect(
      rprop.etaMinus == 0.5 && rprop.etaPlus == 1.2 && rprop.stepMin == 1e-6
        && rprop.stepMax == 50)
  }

  @Test("Float follows the same trajectory as Double")
  func floatPrecision() throws {
    let (values, _) = trajectory(
      of: try Rprop(initialStep: 0.1), from: start, gradients: gradients, as: Float.self)
    expectClose(values[4], [0.708, -1.25584], tolerance: 1e-6)
  }

  @Test("out-of-range hyperparameters are rejected, naming the option")
  func ranges() {
    for (make, option) in [
      ({ _ = try Rprop(initialStep: 0) }, "initial_step"),
      ({ _ = try Rprop(etaMinus: 1) }, "eta_minus"),
      ({ _ = try Rprop(etaPlus: 1) }, "eta_plus"),
      ({ _ = try Rprop(stepMin: -1) }, "step_min"),
      ({ _ = try Rprop(stepMax: 0) }, "step_max"),
      ({ _ = try Rprop(stepMin: 2, stepMax: 1) }, "step_min"),
    ] as [(() throws -> Void, String)] {
      #expect { try make() } throws: { error in
        (error as? InputError)?.message.contains("option '\(option)'") == true
      }
    }
  }

  @Test("converges on the ill-conditioned quadratic (full batch)")
  func convergence() throws {
    Quadratic.expectConverges(try Rprop(), below: 1e-8, within: 100)
  }
}
