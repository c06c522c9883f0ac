import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("huber")
struct HuberLossTests {
  @Test("known values, delta = 1: ℓ = [½, 0, 1.5, 0, 2.5, ½], L = 5/6")
  func defaultDelta() throws {
    // |d| ≤ 1: ½d²; |d| > 1: |d| − ½. Gradient d or sign(d), over m·n = 6.
    expectKnown(
      try makeLoss("huber"), predictions: regressionPredictions, targets: regressionTargets,
      value: 5.0 / 6, gradient: [1, 0, -1, 0, -1, 1].map { $0 / 6 })
  }

  @Test("delta = 2 from the registry: ℓ = [½, 0, 2, 0, 4, ½], L = 7/6")
  func customDelta() throws {
    // |d| = 2 ≤ 2: ½·4 = 2 with gradient −2; |d| = 3: 2·(3 − 1) = 4 with gradient 2·sign(d) = −2.
    expectKnown(
      try makeLoss("huber", [("delta", .real(2))]), predictions: regressionPredictions,
      targets: regressionTargets, value: 7.0 / 6, gradient: [1, 0, -2, 0, -2, 1].map { $0 / 6 })
  }

  @Test("half the mse for small errors, linear with bounded gradient for outliers")
  func regimes() {
    let small = Matrix<Double>([[0.1, -0.2]])
    let zero = Matrix<Double>(rows: 1, cols: 2)
    #expect(
      isApproximatelyEqual(
        HuberLoss().value(predictions: small, targets: zero),
        MeanSquaredError().value(predictions: small, targets: zero) / 2, relative: 1e-14))
    let gradient = Matrix<Double>(rows: 1, cols: 2)
    HuberLoss(delta: 0.5).gradient(
      predictions: Matrix([[1e6, -1e6]]), targets: zero, into: gradient)
    #expect(gradient.scalars == [0.25, -0.25])
  }
}
