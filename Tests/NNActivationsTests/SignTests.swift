import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("sign")
struct SignTests {
  @Test("+1 for z > 0, −1 for z ≤ 0 (including ±0: the tutorial's tie), NaN for NaN")
  func values() {
    let sign = Sign()
    let cases: [(Double, Double)] = [
      (0, -1), (-0.0, -1), (1e-8, 1), (-1e-8, -1), (3, 1), (-3, -1), (.infinity, 1),
      (-.infinity, -1),
      (.greatestFiniteMagnitude, 1), (-Double(Float.leastNonzeroMagnitude), -1),
    ]
    for (z, expected) in cases {
      #expect(sign.value(z) == expected, "sign(\(z))")
      #expect(sign.value(Float(z)) == Float(expected), "Float sign(\(z))")
    }
    #expect(sign.value(Double.nan).isNaN)
    #expect(bufferPath(sign, at: cases.map(\.0)).values == cases.map(\.1))
  }

  @Test("not trainable, derivative 0 everywhere (even at 0 and NaN)")
  func derivative() {
    let sign = Sign()
    #expect(!sign.isTrainable)
    for z in specialValues { #expect(sign.derivative(z, output: sign.value(z)) == 0) }
    let buffer = bufferPath(sign, at: specialValues)
    #expect(buffer.derivatives.allSatisfy { $0 == 0 })
  }

  @Test(
    "a hand-set perceptron: sign(x1 + x2 − 1) separates the half-planes of the line x1 + x2 = 1")
  func perceptron() {
    // Z = [x1 x2 1]·[1, 1, −1]ᵀ = x1 + x2 − 1.
    let inputs: [(Double, Double)] = [(0, 0), (1, 0), (0, 1), (1, 1), (0.5, 0.5), (2, -0.5)]
    let z = inputs.map { $0.0 + $0.1 - 1 }
    // (1, 0) and (0, 1) lie on the line: z = 0, and the tie goes to −1.
    #expect(bufferPath(Sign(), at: z).values == [-1, -1, -1, 1, -1, 1])
  }
}
