import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("step")
struct StepTests {
  @Test("1 for z ≥ 0 (including −0), 0 for z < 0, NaN for NaN")
  func values() {
    let step = Step()
    let cases: [(Double, Double)] = [
      (0, 1), (-0.0, 1), (1e-8, 1), (-1e-8, 0), (5, 1), (-5, 0), (.infinity, 1), (-.infinity, 0),
    ]
    for (z, expected) in cases {
      #expect(step.value(z) == expected, "step(\(z))")
      #expect(step.value(Float(z)) == Float(expected), "Float step(\(z))")
    }
    #expect(step.value(Double.nan).isNaN)
    #expect(bufferPath(step, at: cases.map(\.0)).values == cases.map(\.1))
  }

  @Test("not trainable, derivative 0 everywhere")
  func derivative() {
    let step = Step()
    #expect(!step.isTrainable)
    for z in specialValues { #expect(step.derivative(z, output: step.value(z)) == 0) }
    #expect(bufferPath(step, at: specialValues).derivatives.allSatisfy { $0 == 0 })
  }

  @Test("step(z) = (sign(z) + 1)/2 wherever z is a nonzero number; at 0 step is 1, sign −1")
  func relationToSign() {
    for z in smoothPoints() where z != 0 {
      #expect(Step().value(z) == (Sign().value(z) + 1) / 2)
    }
    // Heaviside's convention H(0) = 1; the tutorial's perceptron sends a tie to −1.
    #expect(Step().value(0.0) == 1 && Sign().value(0.0) == -1)
  }
}
