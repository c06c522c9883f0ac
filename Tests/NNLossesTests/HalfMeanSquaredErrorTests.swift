import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("half_mse")
struct HalfMeanSquaredErrorTests {
  @Test("known values: Σd²/(2m) = 15/4 with m = 2 rows, gradient d/m")
  func knownValues() {
    expectKnown(
      HalfMeanSquaredError(), predictions: regressionPredictions, targets: regressionTargets,
      value: 3.75, gradient: regressionDifferences.map { $0 / 2 })
  }

  @Test("the first tutorial's output-layer gradient dA = (A − Y)/m, for a 1-output regression")
  func tutorialGradient() {
    // sin(x) targets at three x, predictions off by 0.1, −0.2, 0.3: L = (0.01 + 0.04 + 0.09)/(2·3).
    let y = Matrix<Double>(rows: 3, cols: 1, scalars: [-0.5, 0, 0.5].map { sin($0) })
    let a = Matrix<Double>(
      rows: 3, cols: 1, scalars: [0.1, -0.2, 0.3].enumerated().map { y.base[$0] + $1 })
    let gradient = Matrix<Double>(rows: 3, cols: 1)
    let value = HalfMeanSquaredError().gradient(predictions: a, targets: y, into: gradient)
    #expect(isApproximatelyEqual(value, 0.14 / 6, relative: 1e-12))
    #expect(isApproximatelyEqual(gradient.scalars, [0.1 / 3, -0.2 / 3, 0.3 / 3], relative: 1e-12))
  }

  @Test("equals mse·n/2 (mse averages over the n outputs too, and has no ½)")
  func relationToMSE() {
    var generator = SeededGenerator(seed: 3)
    let a = randomMatrix(rows: 5, cols: 4, using: &generator, as: Double.self)
    let y = randomMatrix(rows: 5, cols: 4, using: &generator, as: Double.self)
    let mse = MeanSquaredError().value(predictions: a, targets: y)
    #expect(
      isApproximatelyEqual(
        HalfMeanSquaredError().value(predictions: a, targets: y), mse * 4 / 2, relative: 1e-14))
  }
}
