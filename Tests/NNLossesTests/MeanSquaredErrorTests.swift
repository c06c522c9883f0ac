import NNLosses
import NNProtocols
import NNTestSupport
import Testing

/// The 2×3 example shared by the regression-loss suites: d = a − y = [1, 0, −2, 0, −3, 1],
/// Σd² = 15, Σ|d| = 7.
let regressionPredictions: [[Double]] = [[1, 2, 3], [4, 5, 6]]
let regressionTargets: [[Double]] = [[0, 2, 5], [4, 8, 5]]
let regressionDifferences: [Double] = [1, 0, -2, 0, -3, 1]

@Suite("mse")
struct MeanSquaredErrorTests {
  @Test("known values: Σd²/(m·n) = 15/6, gradient 2d/(m·n) = d/3 (PyTorch MSELoss)")
  func knownValues() {
    expectKnown(
      MeanSquaredError(), predictions: regressionPredictions, targets: regressionTargets,
      value: 2.5, gradient: regressionDifferences.map { $0 / 3 })
  }

  @Test("the mean runs over all elements: duplicating the columns leaves the loss unchanged")
  func meanOverElements() {
    let a = Matrix<Double>([[1, 2], [3, 4]])
    let y = Matrix<Double>([[0, 0], [0, 0]])
    let wide = Matrix<Double>([[1, 2, 1, 2], [3, 4, 3, 4]])
    let wideTargets = Matrix<Double>(rows: 2, cols: 4)
    #expect(
      MeanSquaredError().value(predictions: a, targets: y)
        == MeanSquaredError().value(predictions: wide, targets: wideTargets))
  }

  @Test("targets must have one column per output, all finite")
  func targetProblems() {
    let loss = MeanSquaredError()
    #expect(loss.targetProblem(Matrix<Double>(regressionTargets), outputs: 3) == nil)
    #expect(loss.targetProblem(Matrix<Double>(regressionTargets), outputs: 2)?.row == nil)
    let bad = Matrix<Double>([[0, 1], [.nan, 2]])
    #expect(
      loss.targetProblem(bad, outputs: 2)
        == TargetProblem(row: 1, column: 0, "mse: target nan is not a finite number"))
  }
}
