import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("tanh")
struct TanhTests {
  @Test("known values: tanh(0) = 0 with derivative 1, tanh(ln 2) = 0.6")
  func knownValues() {
    expectKnown(Tanh(), at: 0, value: 0, derivative: 1)
    // tanh(ln 2) = (2 − ½)/(2 + ½) = 3/5; derivative 1 − 9/25 = 16/25.
    expectKnown(Tanh(), at: log(2), value: 0.6, derivative: 0.64)
    expectKnown(Tanh(), at: -log(2), value: -0.6, derivative: 0.64)
  }

  @Test("limits: ±1 at ±1e4 and ±∞, derivative 0 there; −0 stays −0")
  func limits() {
    #expect(bufferPath(Tanh(), at: [-1e4, 1e4, -.infinity, .infinity]).values == [-1, 1, -1, 1])
    #expect(bufferPath(Tanh(), at: [-1e4, 1e4]).derivatives == [0, 0])
    #expect(isIdentical(Tanh().value(-0.0), -0.0))
  }

  @Test("tanh(z) = 2σ(2z) − 1")
  func relationToSigmoid() {
    for z in smoothPoints() {
      #expect(
        isApproximatelyEqual(
          Tanh().value(z), 2 * Sigmoid().value(2 * z) - 1, absolute: 1e-15, relative: 1e-13))
    }
  }
}
