import NNActivations
import NNLayers
import NNProtocols
import NNTestSupport
import Testing

@Suite("ActivationLayer")
struct ActivationLayerTests {
  @Test(arguments: ["sigmoid", "tanh", "identity", "user_sigmoid"])
  func gradientMatchesCentralDifferences(activation: String) {
    var generator = SeededGenerator(seed: 21)
    let layer = ActivationLayer<Double>(size: 4, activation: testActivation(activation))
    for batch in [5, 1] {  // the second pass uses a smaller view of the workspaces
      let input: Matrix<Double> = randomMatrix(rows: batch, cols: 4, using: &generator)
      let report = GradientChecker().check(layer: layer, input: input, using: &generator)
      #expect(report.maxError < 1e-6, "\(report)")
      #expect(report.entries.map(\.name) == ["input"])
    }
  }

  @Test func forwardAppliesTheFunctionElementwise() {
    let layer = ActivationLayer<Float>(size: 3, activation: ReLU())
    let output = layer.forward(Matrix([[-1, 0, 2], [3, -4, 0.5]]), phase: .inference)
    #expect(output.scalars == [0, 0, 2, 3, 0, 0.5])
    #expect(layer.outputSize == 3)
    #expect(layer.parameters.isEmpty)
    #expect(layer.detail == "relu")
    #expect(layer.kind == "activation")
  }

  @Test func backwardIsDAtimesDerivative() {
    let layer = ActivationLayer<Double>(size: 2, activation: ReLU())
    _ = layer.forward(Matrix([[-1, 2]]), phase: .training)
    let dZ = layer.backward(Matrix([[5, 7]]), needsInputGradient: true)
    #expect(dZ.scalars == [0, 7])  // dZ = dA ∘ relu'(Z) = [5·0, 7·1]
    #expect(layer.backward(Matrix([[5, 7]]), needsInputGradient: false).rows == 0)
  }

  @Test func copyHasTheSameFunctionAndItsOwnWorkspace() {
    let layer = ActivationLayer<Double>(size: 2, activation: Tanh())
    let copy = layer.copy()
    let a = layer.forward(Matrix([[0.5, -0.5]]), phase: .inference)
    let b = copy.forward(Matrix([[0.5, -0.5]]), phase: .inference)
    #expect(a.elementsEqual(b))
    #expect(a.base != b.base)
  }
}
