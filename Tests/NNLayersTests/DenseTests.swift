import NNActivations
import NNLayers
import NNProtocols
import NNTestSupport
import Testing

@Suite("Dense")
struct DenseTests {
  /// Z = X·Wᵀ + b for 2 samples, 3 inputs, 2 outputs, worked by hand:
  /// ```
  /// X = [[1, 2, 3],      W = [[ 0.5, -1,  2],     b = [0.25, -1]
  ///      [0, -1, 4]]          [ 3,    0, -0.5]]
  /// Z[0,0] = 1·0.5 + 2·(−1) + 3·2    + 0.25 =  4.75
  /// Z[0,1] = 1·3   + 2·0    + 3·(−0.5) − 1  =  0.5
  /// Z[1,0] = 0·0.5 − 1·(−1) + 4·2    + 0.25 =  9.25
  /// Z[1,1] = 0·3   − 1·0    + 4·(−0.5) − 1  = −3
  /// ```
  /// All values are exact in binary, so Float and Double must match them exactly.
  func handExample<S: NNScalar>(_ type: S.Type) {
    let layer = Dense<S>(
      weight: Matrix([[0.5, -1, 2], [3, 0, -0.5]]), bias: Matrix([[0.25, -1]]))
    #expect(layer.weight.value.shape == [2, 3])  // [outputs, inputs]
    #expect(layer.bias?.value.shape == [1, 2])
    let output = layer.forward(Matrix([[1, 2, 3], [0, -1, 4]]), phase: .inference)
    #expect(output.scalars == [4.75, 0.5, 9.25, -3])
  }

  @Test func forwardMatchesHandComputedExampleInFloat() { handExample(Float.self) }
  @Test func forwardMatchesHandComputedExampleInDouble() { handExample(Double.self) }

  @Test func fusedActivationIsAppliedToZ() {
    let layer = Dense<Double>(
      weight: Matrix([[1, -2]]), bias: Matrix([[0.5]]), activation: Sigmoid())
    let output = layer.forward(Matrix([[3, 1]]), phase: .inference)  // Z = 3 − 2 + 0.5 = 1.5
    #expect(isApproximatelyEqual(output[0, 0], 1 / (1 + Double.exp(-1.5))))
  }

  static let cases: [(activation: String, bias: Bool, batch: Int)] = [
    "identity", "sigmoid", "tanh", "relu", "user_sigmoid",
  ]
  .flatMap { name in [true, false].flatMap { bias in [1, 5].map { (name, bias, $0) } } }

  @Test(arguments: cases)
  func gradientsMatchCentralDifferences(activation: String, bias: Bool, batch: Int) {
    var generator = SeededGenerator(seed: 11)
    let layer = Dense<Double>(
      inputs: 4, outputs: 3, activation: testActivation(activation), bias: bias)
    layer.weight.value.assign(randomMatrix(rows: 3, cols: 4, using: &generator))
    if let b = layer.bias { b.value.assign(randomMatrix(rows: 1, cols: 3, using: &generator)) }
    let input: Matrix<Double> = randomMatrix(rows: batch, cols: 4, using: &generator)
    if activation == "relu" {
      // Finite differences across relu's kink are meaningless: make sure no Z is near 0.
      let z = Dense<Double>(weight: layer.weight.value, bias: layer.bias?.value)
        .forward(input, phase: .training)
      #expect(z.scalars.allSatisfy { abs($0) > 1e-3 })
    }
    let report = GradientChecker().check(layer: layer, input: input, using: &generator)
    #expect(report.maxError < 1e-6, "\(report)")
    #expect(
      report.entries.map(\.name) == (bias ? ["weight", "bias", "input"] : ["weight", "input"]))
  }

  @Test func smallerBatchAfterLargerUsesWorkspaceViewsCorrectly() {
    var generator = SeededGenerator(seed: 3)
    let layer = Dense<Double>(inputs: 3, outputs: 4, activation: Tanh())
    layer.weight.value.assign(randomMatrix(rows: 4, cols: 3, using: &generator))
    layer.bias?.value.assign(randomMatrix(rows: 1, cols: 4, using: &generator))
    let large: Matrix<Double> = randomMatrix(rows: 7, cols: 3, using: &generator)
    let largeOutput = layer.forward(large, phase: .training)
    _ = layer.backward(randomMatrix(rows: 7, cols: 4, using: &generator), needsInputGradient: true)
    let small: Matrix<Double> = randomMatrix(rows: 2, cols: 3, using: &generator)
    let smallOutput = layer.forward(small, phase: .training)
    #expect(smallOutput.shape == [2, 4])
    #expect(smallOutput.base == largeOutput.base)  // the same memory, viewed
    // The small batch's result equals a fresh layer's result.
    let fresh = layer.copy().forward(small, phase: .training)
    #expect(smallOutput.elementsEqual(fresh))
    let report = GradientChecker().check(layer: layer, input: small, using: &generator)
    #expect(report.maxError < 1e-6, "\(report)")
  }

  @Test func backwardWithoutInputGradientStillWritesParameterGradients() throws {
    var generator = SeededGenerator(seed: 5)
    let layer = Dense<Double>(inputs: 2, outputs: 2, activation: Sigmoid())
    layer.weight.value.assign(randomMatrix(rows: 2, cols: 2, using: &generator))
    let x: Matrix<Double> = randomMatrix(rows: 3, cols: 2, using: &generator)
    let dA: Matrix<Double> = randomMatrix(rows: 3, cols: 2, using: &generator)
    _ = layer.forward(x, phase: .training)
    _ = layer.backward(dA, needsInputGradient: true)
    let expectedWeight = layer.weight.gradient.copy()
    let expectedBias = try #require(layer.bias).gradient.copy()
    layer.weight.gradient.fill(0)
    _ = layer.forward(x, phase: .training)
    let none = layer.backward(dA, needsInputGradient: false)
    #expect(none.rows == 0)
    #expect(layer.weight.gradient.elementsEqual(expectedWeight))
    #expect(layer.bias?.gradient.elementsEqual(expectedBias) == true)
  }

  @Test func biasGradientIsTheColumnSumOfDZ() {
    // With the identity, dZ = dA, so db = Σ_rows dA.
    let layer = Dense<Double>(inputs: 1, outputs: 3)
    _ = layer.forward(Matrix([[1], [2]]), phase: .training)
    _ = layer.backward(Matrix([[1, 2, 3], [10, 20, 30]]), needsInputGradient: false)
    #expect(layer.bias?.gradient.scalars == [11, 22, 33])
    // dW = dZᵀ·X: dW[j, 0] = dA[0, j]·1 + dA[1, j]·2.
    #expect(layer.weight.gradient.scalars == [21, 42, 63])
  }

  @Test func copyIsIndependent() {
    let layer = Dense<Double>(weight: Matrix([[1, 2]]), bias: Matrix([[3]]))
    let copy = layer.copy()
    copy.weight.value[0, 0] = 100
    copy.bias?.value[0, 0] = 100
    #expect(layer.weight.value.scalars == [1, 2])
    #expect(layer.bias?.value.scalars == [3])
    #expect(copy.detail == layer.detail)
    #expect(layer.parameterCount == 3)
  }

  @Test func layerWithoutBiasHasOnlyAWeight() {
    let layer = Dense<Float>(inputs: 3, outputs: 2, bias: false)
    #expect(layer.bias == nil)
    #expect(layer.parameters.map(\.name) == ["weight"])
    #expect(layer.parameterCount == 6)
    #expect(layer.kind == "dense")
    #expect(layer.detail == "identity")
  }
}
