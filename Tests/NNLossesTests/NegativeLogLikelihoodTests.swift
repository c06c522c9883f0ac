import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("nll")
struct NegativeLogLikelihoodTests {
  @Test("known values: −(log 0.7 + log 0.5)/2; gradient −1/(m·p) at the target classes")
  func knownValues() {
    let p: [[Double]] = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]
    for targets in [[[1.0], [0]], [[0, 1, 0], [1, 0, 0]]] {
      expectKnown(
        NegativeLogLikelihood(), predictions: p, targets: targets,
        value: -(log(0.7) + log(0.5)) / 2, gradient: [0, -1 / 1.4, 0, -1, 0, 0])
    }
  }

  @Test("a zero probability for the target is clamped to ε: finite loss, zero gradient")
  func clamping() {
    let gradient = Matrix<Double>(rows: 1, cols: 2)
    let value = NegativeLogLikelihood().gradient(
      predictions: Matrix([[1, 0]]), targets: Matrix([[1]]), into: gradient)
    #expect(isApproximatelyEqual(value, -log(1e-7), relative: 1e-12))
    #expect(gradient.scalars == [0, 0])
  }

  @Test("'categorical_cross_entropy' is an alias")
  func alias() throws {
    let loss = try makeLoss("categorical_cross_entropy")
    #expect(loss is NegativeLogLikelihood && loss.name == "nll")
  }
}
