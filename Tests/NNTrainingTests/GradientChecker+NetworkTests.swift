import NNActivations
import NNLayers
import NNLosses
import NNProtocols
import NNTraining
import Testing

@Suite struct GradientCheckerNetworkTests {
  func network() throws -> Network<Double> {
    var generator = SeededGenerator(seed: 4)
    return try Network<Double>(
      builders: [DenseBuilder(units: 5, activation: Tanh()), DenseBuilder(units: 2)], inputSize: 3,
      generator: &generator)
  }

  func batch() -> (Matrix<Double>, Matrix<Double>) {
    var generator = SeededGenerator(seed: 9)
    let x = Matrix<Double>(rows: 6, cols: 3)
    let y = Matrix<Double>(rows: 6, cols: 2)
    for i in 0..<x.count { x.base[i] = generator.normal() }
    for i in 0..<y.count { y.base[i] = generator.normal() }
    return (x, y)
  }

  /// The reference step's gradients agree with finite differences for every tensor, by path.
  @Test func everyTensorOfANetworkIsCheckedByPath() throws {
    let (x, y) = batch()
    let report = GradientChecker().check(
      network: try network(), loss: MeanSquaredError(), x: x, y: y)
    #expect(
      report.entries.map(\.name) == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
      ])
    #expect(report.passed, "\(report)")
    #expect(report.entries.allSatisfy { $0.checked == $0.rows * $0.cols && $0.checked > 0 })
  }

  /// A layer marked as reaching the loss through an activation without a derivative is reported,
  /// not checked; the others are checked.
  @Test func tensorsBehindANonDifferentiableActivationAreNamedNotChecked() throws {
    let (x, y) = batch()
    let report = GradientChecker().check(
      network: try network(), loss: MeanSquaredError(), x: x, y: y,
      notDifferentiable: ["sign", nil])
    #expect(report["layers.0.weight"]?.notDifferentiableThrough == "sign")
    #expect(report["layers.0.bias"]?.checked == 0)
    #expect(report["layers.1.weight"]?.checked == 10)
    #expect(report.passed)
  }
}
