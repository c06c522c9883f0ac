import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

private let start = [1.0, -2.0]
private let gradients = [[0.5, -1.0], [0.25, 0.5], [-0.5, 2.0]]

// Reference (NumPy):
//   clr = lr/(1 + (t - 1)*lr_decay)
//   s = s + g*g                               # s starts at initial_accumulator
//   p = p - clr*g/(sqrt(s) + eps)

@Suite("Adagrad") struct AdagradTests {
  @Test("three steps: the sum of squares only grows, so the steps shrink")
  func golden() throws {
    let adagrad = try Adagrad(learningRate: 0.1)
    #expect(adagrad.stateSlots == [StateSlot("sum", initialValue: 0)])
    let (values, state) = trajectory(of: adagrad, from: start, gradients: gradients)
    // t = 1: s = g² = (0.25, 1), g/√s = ±1:             p₁ = (0.9, −1.9)  (ε = 1e-10 aside)
    expectClose(values[0], [0.9, -1.9], tolerance: 1e-9)
    // t = 2: s = (0.3125, 1.25), g/√s = (0.25/0.559017, 0.5/1.118034) = (0.447214, 0.447214)
    //        p₂ = (0.855279, −1.944721)
    expectClose(values[1], [0.8552786404780043, -1.9447213595559958])
    // t = 3: s = (0.5625, 5.25), g/√s = (−0.5/0.75, 2/2.291288) = (−0.666667, 0.872872)
    //        p₃ = (0.921945, −2.032009)
    expectClose(values[2], [0.921945307135782, -2.032008515646583])
    // The accumulator is Σ g² over the three steps.
    expectClose(state.slots["p"]?[0].scalars ?? [], [0.5625, 5.25])
  }

  @Test("lr_decay and initial_accumulator")
  func decayAndInitialAccumulator() throws {
    let adagrad = try Adagrad(learningRate: 0.1, learningRateDecay: 0.5, initialAccumulator: 0.75)
    #expect(adagrad.stateSlots == [StateSlot("sum", initialValue: 0.75)])
    let (values, _) = trajectory(of: adagrad, from: start, gradients: gradients)
    // t = 1: γ₁ = 0.1, s = 0.75 + (0.25, 1) = (1, 1.75), g/√s = (0.5, −0.755929): p₁ = (0.95, −1.924407)
    expectClose(values[0], [0.950000000005, -1.9244071054038687])
    // t = 2: γ₂ = 0.1/1.5, s = (1.0625, 2), g/√s = (0.242536, 0.353553): p₂ = (0.933831, −1.947977)
    expectClose(values[1], [0.9338309583374798, -1.9479773314417537])
    // t = 3: γ₃ = 0.1/2, s = (1.3125, 6), g/√s = (−0.436436, 0.816497): p₃ = (0.955653, −1.988802)
    expectClose(values[2], [0.9556527473591743, -1.9888021604864734])
  }

  @Test("Float follows the same trajectory as Double")
  func floatPrecision() throws {
    let (values, _) = trajectory(
      of: try Adagrad(learningRate: 0.1), from: start, gradients: gradients, as: Float.self)
    expectClose(values[2], [0.921945307135782, -2.032008515646583], tolerance: 1e-6)
  }

  @Test("out-of-range hyperparameters are rejected, naming the option")
  func ranges() {
    for (make, option) in [
      ({ _ = try Adagrad(learningRate: 0) }, "lr"),
      ({ _ = try Adagrad(learningRateDecay: -1) }, "lr_decay"),
      ({ _ = try Adagrad(epsilon: -1e-10) }, "eps"),
      ({ _ = try Adagrad(initialAccumulator: -0.1) }, "initial_accumulator"),
    ] as [(() throws -> Void, String)] {
      #expect { try make() } throws: { error in
        (error as? InputError)?.message.contains("option '\(option)'") == true
      }
    }
  }

  @Test("converges on the ill-conditioned quadratic")
  func convergence() throws {
    Quadratic.expectConverges(try Adagrad(learningRate: 1), below: 1e-8, within: 60)
  }
}
