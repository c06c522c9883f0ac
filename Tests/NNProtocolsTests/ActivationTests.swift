import Foundation
import NNProtocols
import NNTestSupport
import Testing

/// An activation written with the scalar forms only: `g(z) = z²`, `g'(z) = 2z`.
private struct Square: Activation {
  var name: String { "square" }
  func value<S: NNScalar>(_ z: S) -> S { z * z }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 2 * z }
}

/// An activation that declares its range, a fixed kernel and no training use.
private struct Bounded: Activation {
  var name: String { "bounded" }
  var isTrainable: Bool { false }
  var outputRange: ClosedRange<Double> { 0...1 }
  var fusedKernel: FusedActivationKernel? { .sigmoid }
  func value<S: NNScalar>(_ z: S) -> S { 1 / (1 + S.exp(-z)) }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { a * (1 - a) }
}

@Suite("Activation")
struct ActivationTests {
  @Test("the defaults: trainable, unbounded, no fused kernel, not probabilities")
  func defaults() {
    let square = Square()
    #expect(square.isTrainable)
    #expect(square.outputRange == -Double.infinity...Double.infinity)
    #expect(square.fusedKernel == nil)
    #expect(!square.outputsProbabilities)
    let bounded = Bounded()
    #expect(!bounded.isTrainable && bounded.outputsProbabilities)
    #expect(bounded.fusedKernel == .sigmoid)
  }

  @Test("the default buffer forms apply value and derivative element by element")
  func defaultBufferForms() {
    let z = Matrix<Double>([[-1.5, 0, 2], [3, -0.5, 1]])
    let a = Matrix<Double>(rows: 2, cols: 3)
    Square().forward(z, into: a)
    #expect(a.scalars == z.scalars.map { $0 * $0 })
    let dA = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    let dZ = Matrix<Double>(rows: 2, cols: 3)
    Square().backward(input: z, output: a, outputGradient: dA, into: dZ)
    #expect(dZ.scalars == zip(z.scalars, dA.scalars).map { 2 * $0 * $1 })
  }

  @Test("the derivative agrees with central differences, in Float and Double")
  func derivativeMatchesDifferences() {
    let bounded = Bounded()
    for z in [-2.0, -0.3, 0.4, 1.7] {
      let h = 1e-5
      let slope = (bounded.value(z + h) - bounded.value(z - h)) / (2 * h)
      #expect(
        isApproximatelyEqual(bounded.derivative(z, output: bounded.value(z)), slope, relative: 1e-8)
      )
      let single = Float(z)
      #expect(
        isApproximatelyEqual(
          bounded.derivative(single, output: bounded.value(single)), Float(slope), relative: 1e-5))
    }
  }
}
