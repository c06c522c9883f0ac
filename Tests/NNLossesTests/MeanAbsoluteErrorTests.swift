import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("mae")
struct MeanAbsoluteErrorTests {
  @Test("known values: Σ|d|/(m·n) = 7/6, gradient sign(d)/6 with 0 where a = y")
  func knownValues() {
    expectKnown(
      MeanAbsoluteError(), predictions: regressionPredictions, targets: regressionTargets,
      value: 7.0 / 6, gradient: [1, 0, -1, 0, -1, 1].map { $0 / 6 })
  }

  @Test("a NaN prediction gives a NaN loss and gradient")
  func nan() {
    let gradient = Matrix<Double>(rows: 1, cols: 2)
    let value = MeanAbsoluteError().gradient(
      predictions: Matrix([[.nan, 1]]), targets: Matrix([[0, 0]]), into: gradient)
    #expect(value.isNaN && gradient[0, 0].isNaN && gradient[0, 1] == 0.5)
  }
}
