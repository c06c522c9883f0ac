import NNLayers
import NNProtocols
import NNTestSupport
import Testing

@Suite("Softmax")
struct SoftmaxTests {
  @Test func rowsArePositiveAndSumToOne() {
    var generator = SeededGenerator(seed: 2)
    let layer = Softmax<Double>(size: 6)
    let output = layer.forward(
      randomMatrix(rows: 9, cols: 6, scale: 3, using: &generator), phase: .inference)
    for row in 0..<9 {
      let values = (0..<6).map { output[row, $0] }
      #expect(values.allSatisfy { $0 > 0 && $0 < 1 })
      #expect(isApproximatelyEqual(values.reduce(0, +), 1, absolute: 1e-12))
    }
  }

  @Test func matchesTheDefinition() {
    let layer = Softmax<Double>(size: 3)
    let output = layer.forward(Matrix([[1, 2, 3]]), phase: .inference)
    let exps = [1.0, 2, 3].map { Double.exp($0) }
    let total = exps.reduce(0, +)
    #expect(isApproximatelyEqual(output.scalars, exps.map { $0 / total }, relative: 1e-12))
  }

  @Test func isStableForHugeLogits() {
    stableForHugeLogits(Float.self)
    stableForHugeLogits(Double.self)
  }

  func stableForHugeLogits<S: NNScalar>(_ type: S.Type) {
    let layer = Softmax<S>(size: 3)
    let output = layer.forward(
      Matrix([[1e4, -1e4, 0], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]]), phase: .inference)
    #expect(output.scalars.allSatisfy { $0.isFinite })
    let third = S(1) / 3
    let expected: [S] = [1, 0, 0, 0.5, 0.5, 0, third, third, third]
    #expect(output.scalars == expected)
  }

  @Test func isInvariantToShiftingARow() {
    let layer = Softmax<Double>(size: 3)
    let a = layer.forward(Matrix([[0.1, -0.7, 2]]), phase: .inference).copy()
    let b = layer.forward(Matrix([[100.1, 99.3, 102]]), phase: .inference)
    #expect(isApproximatelyEqual(a, b, relative: 1e-12))
  }

  @Test func gradientMatchesCentralDifferences() {
    var generator = SeededGenerator(seed: 8)
    let layer = Softmax<Double>(size: 5)
    for batch in [4, 1] {
      let input: Matrix<Double> = randomMatrix(rows: batch, cols: 5, using: &generator)
      let report = GradientChecker().check(layer: layer, input: input, using: &generator)
      #expect(report.maxError < 1e-6, "\(report)")
    }
  }

  @Test func backwardIsAtimesDAminusRowDot() {
    let layer = Softmax<Double>(size: 2)
    let a = layer.forward(Matrix([[0, 0]]), phase: .training)  // A = [½, ½]
    #expect(a.scalars == [0.5, 0.5])
    // rowsum(dA ∘ A) = 1·½ + 3·½ = 2;  dZ = A ∘ (dA − 2) = [−½, ½]
    #expect(layer.backward(Matrix([[1, 3]]), needsInputGradient: true).scalars == [-0.5, 0.5])
  }

  @Test func hasNoParameters() {
    let layer = Softmax<Float>(size: 4)
    #expect(layer.parameters.isEmpty)
    #expect(layer.kind == "softmax")
    #expect(layer.outputSize == 4)
    #expect(layer.copy().inputSize == 4)
  }
}
