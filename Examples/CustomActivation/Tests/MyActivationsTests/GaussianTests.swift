import Foundation
import MyActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("Gaussian")
struct GaussianTests {
  /// Both flanks, the top and the tails where the derivative is small but not yet 0.
  static let points: [Double] = [-3, -1.5, -0.7, -0.1, 0, 0.25, 0.5, 1, 2, 3.2]

  @Test("the derivative matches central differences, on the scalar and the default buffer paths")
  func derivativeMatchesFiniteDifferences() {
    let checker = GradientChecker()
    #expect(checker.check(activation: Gaussian(), at: Self.points) < 1e-6)
    #expect(checker.checkBuffers(activation: Gaussian(), at: Self.points) < 1e-6)
  }

  @Test("known values: g(0) = 1, g(±1) = 1/e, g'(±1) = ∓2/e, g(2) = e⁻⁴")
  func knownValues() {
    let g = Gaussian()
    #expect(g.value(0.0) == 1)
    #expect(g.derivative(0.0, output: 1) == 0)
    #expect(isApproximatelyEqual(g.value(1.0), 1 / M_E, relative: 1e-15))
    #expect(isApproximatelyEqual(g.value(-1.0), 1 / M_E, relative: 1e-15))
    #expect(
      isApproximatelyEqual(g.derivative(1.0, output: g.value(1.0)), -2 / M_E, relative: 1e-15))
    #expect(
      isApproximatelyEqual(g.derivative(-1.0, output: g.value(-1.0)), 2 / M_E, relative: 1e-15))
    #expect(isApproximatelyEqual(g.value(2.0), exp(-4.0), relative: 1e-15))
  }

  @Test("even: g(−z) = g(z), g'(−z) = −g'(z); 0 < g ≤ 1 on moderate inputs")
  func symmetry() {
    let g = Gaussian()
    for z in Self.points {
      #expect(g.value(-z) == g.value(z))
      #expect(g.derivative(-z, output: g.value(-z)) == -g.derivative(z, output: g.value(z)))
      #expect(g.value(z) > 0 && g.value(z) <= 1)
    }
  }

  @Test("special values: ±1e4 and ±∞ give 0 with derivative 0 (not ∞·0 = NaN), NaN gives NaN")
  func specials() {
    let g = Gaussian()
    #expect(g.value(-0.0) == 1)
    for z in [
      1e4, -1e4, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity,
    ] {
      #expect(g.value(z) == 0, "z = \(z)")
      #expect(g.derivative(z, output: g.value(z)) == 0, "z = \(z)")
    }
    #expect(g.value(Double.nan).isNaN)
    #expect(g.derivative(Double.nan, output: .nan).isNaN)
    for z in specialValues {
      let value = g.value(z)
      let slope = g.derivative(z, output: value)
      #expect(value.isNaN == z.isNaN && slope.isNaN == z.isNaN, "z = \(z)")
    }
    // In Float, e^(−z²) underflows much earlier: at z = 11 it is already 0.
    #expect(g.value(Float(11)) == 0 && g.derivative(Float(11), output: 0) == 0)
    #expect(g.derivative(Float.infinity, output: g.value(Float.infinity)) == 0)
  }

  @Test("the default buffer forms agree with the scalar forms")
  func buffersMatchScalars() {
    let g = Gaussian()
    let z = Self.points
    var output = [Double](repeating: 0, count: z.count)
    g.forward(z, &output, count: z.count)
    let dA = z.map { $0 + 2 }
    var dZ = [Double](repeating: 0, count: z.count)
    g.backward(z, output, dA, &dZ, count: z.count)
    for i in z.indices {
      #expect(output[i] == g.value(z[i]))
      #expect(dZ[i] == dA[i] * g.derivative(z[i], output: output[i]))
    }
  }
}
