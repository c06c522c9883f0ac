import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("half_sse")
struct HalfSumSquaredErrorTests {
  @Test("known values: ½Σd² = 7.5, gradient d")
  func knownValues() {
    expectKnown(
      HalfSumSquaredError(), predictions: regressionPredictions, targets: regressionTargets,
      value: 7.5, gradient: regressionDifferences)
  }

  @Test("the second tutorial's XNOR outputs: ½Σ(o − y)² over the four patterns")
  func xnorExample() {
    // o = [0.2, 0.9, 0.6, 0.1] against XNOR targets [1, 0, 0, 1]:
    // d = [−0.8, 0.9, 0.6, −0.9], Σd² = 0.64 + 0.81 + 0.36 + 0.81 = 2.62, L = 1.31.
    expectKnown(
      HalfSumSquaredError(), predictions: [[0.2], [0.9], [0.6], [0.1]],
      targets: [[1], [0], [0], [1]], value: 1.31, gradient: [-0.8, 0.9, 0.6, -0.9])
  }

  @Test("a sum, not a mean: doubling the batch doubles the loss")
  func grows() {
    let a = Matrix<Double>([[0.3, 0.7]])
    let y = Matrix<Double>([[1, 0]])
    let twice = Matrix<Double>([[0.3, 0.7], [0.3, 0.7]])
    let twiceTargets = Matrix<Double>([[1, 0], [1, 0]])
    #expect(
      HalfSumSquaredError().value(predictions: twice, targets: twiceTargets)
        == 2 * HalfSumSquaredError().value(predictions: a, targets: y))
  }
}
