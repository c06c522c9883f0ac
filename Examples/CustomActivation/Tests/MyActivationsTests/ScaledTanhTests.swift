import Foundation
import MyActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("ScaledTanh")
struct ScaledTanhTests {
  /// The points derivatives are checked at: both signs, the linear middle and the saturating tails.
  static let points: [Double] = [-4, -2.5, -1, -0.3, 0, 0.2, 0.7, 1, 1.9, 3.5]

  // snippet: test-derivatives
  @Test(
    "the derivative matches central differences of the value",
    arguments: [(1.7159, 2.0 / 3.0), (1, 1), (0.5, 3), (2.5, 0.1)])
  func derivativeMatchesFiniteDifferences(a: Double, b: Double) {
    let activation = ScaledTanh(a: a, b: b)
    let checker = GradientChecker()
    // Where tanh bends: b·z in [−4, 3.5]. Far out g' is below the differences' rounding noise.
    let points = Self.points.map { $0 / b }
    // Scalar path: derivative(z, output: value(z)) against (g(z + h) − g(z − h)) / 2h.
    #expect(checker.check(activation: activation, at: points) < 1e-6)
    // Buffer path, the one training uses: backward(...) against differences of forward(...).
    #expect(checker.checkBuffers(activation: activation, at: points) < 1e-6)
  }
  // end-snippet

  @Test("defaults are LeCun's: g(±1) ≈ ±1, g(0) = 0, g'(0) = a·b, g → ±a")
  func knownValues() {
    let g = ScaledTanh()
    #expect(g.a == 1.7159)
    #expect(g.b == 2.0 / 3.0)
    // LeCun chose a and b so that the unit maps ±1 to about ±1 (Efficient BackProp, §4.4).
    #expect(abs(g.value(1.0) - 1) < 1e-4)
    #expect(abs(g.value(-1.0) + 1) < 1e-4)
    #expect(g.value(0.0) == 0)
    #expect(g.derivative(0.0, output: 0) == 1.7159 * 2.0 / 3.0)
    #expect(g.value(30.0) == 1.7159)
    #expect(g.value(-30.0) == -1.7159)
  }

  @Test("a = b = 1 is tanh, and its derivative 1 − tanh²")
  func reducesToTanh() {
    let g = ScaledTanh(a: 1, b: 1)
    for z in Self.points {
      #expect(isApproximatelyEqual(g.value(z), tanh(z), relative: 1e-15))
      let t = tanh(z)
      #expect(isApproximatelyEqual(g.derivative(z, output: g.value(z)), 1 - t * t, absolute: 1e-15))
    }
  }

  @Test("odd: g(−z) = −g(z); the derivative is even")
  func symmetry() {
    let g = ScaledTanh(a: 1.3, b: 0.8)
    for z in Self.points {
      #expect(g.value(-z) == -g.value(z))
      #expect(g.derivative(-z, output: g.value(-z)) == g.derivative(z, output: g.value(z)))
    }
  }

  @Test("special values: ±0 keep their sign, ±1e4 and ±∞ give ±a with derivative 0, NaN gives NaN")
  func specials() {
    let g = ScaledTanh()
    #expect(g.value(0.0).sign == .plus && g.value(-0.0).sign == .minus)
    for z in [1e4, .greatestFiniteMagnitude, .infinity] {
      #expect(g.value(z) == g.a)
      #expect(g.value(-z) == -g.a)
      #expect(g.derivative(z, output: g.value(z)) == 0)
      #expect(g.derivative(-z, output: g.value(-z)) == 0)
    }
    #expect(g.value(Double.nan).isNaN)
    #expect(g.derivative(Double.nan, output: .nan).isNaN)
    for z in specialValues {
      let value = g.value(z)
      let slope = g.derivative(z, output: value)
      #expect(value.isNaN == z.isNaN && slope.isNaN == z.isNaN, "z = \(z)")
      if !z.isNaN {
        #expect(abs(value) <= g.a && slope >= 0 && slope <= g.a * g.b, "z = \(z)")
      }
    }
  }

  @Test("the buffer forms agree with the scalar forms, in Float and Double, in place too")
  func buffersMatchScalars() {
    let g = ScaledTanh(a: 1.5, b: 0.9)
    let inputs = Self.points + [1e4, -1e4]
    func check<S: NNScalar>(_ type: S.Type, tolerance: S) {
      let z = inputs.map { S($0) }
      var output = [S](repeating: 0, count: z.count)
      g.forward(z, &output, count: z.count)
      var inPlace = z
      inPlace.withUnsafeMutableBufferPointer {
        g.forward($0.baseAddress!, $0.baseAddress!, count: z.count)
      }
      let dA = z.indices.map { S($0 + 1) }
      var dZ = [S](repeating: 0, count: z.count)
      g.backward(z, output, dA, &dZ, count: z.count)
      for i in z.indices {
        #expect(isApproximatelyEqual(output[i], g.value(z[i]), absolute: tolerance))
        #expect(inPlace[i] == output[i])
        let expected = dA[i] * g.derivative(z[i], output: g.value(z[i]))
        #expect(isApproximatelyEqual(dZ[i], expected, absolute: tolerance))
      }
    }
    check(Float.self, tolerance: 1e-6)
    check(Double.self, tolerance: 1e-13)
  }

  @Test("Float and Double agree to Float precision")
  func precisionsAgree() {
    let g = ScaledTanh()
    for z in Self.points {
      #expect(isApproximatelyEqual(Double(g.value(Float(z))), g.value(z), absolute: 1e-6))
    }
  }
}
