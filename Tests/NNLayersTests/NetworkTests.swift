import NNActivations
import NNLayers
import NNProtocols
import NNTestSupport
import Testing

/// A pass-through layer that records what the network asks of it.
private final class RecordingLayer: Layer {
  typealias Scalar = Double
  let inputSize: Int
  var outputSize: Int { inputSize }
  var kind: String { "recording" }
  var parameters: [Parameter<Double>] { [] }
  var phases: [Phase] = []
  var inputGradientRequests: [Bool] = []
  init(size: Int) { inputSize = size }
  func forward(_ input: Matrix<Double>, phase: Phase) -> Matrix<Double> {
    phases.append(phase)
    return input
  }
  func backward(_ dA: Matrix<Double>, needsInputGradient: Bool) -> Matrix<Double> {
    inputGradientRequests.append(needsInputGradient)
    return dA
  }
  func copy() -> RecordingLayer { RecordingLayer(size: inputSize) }
}

@Suite("Network")
struct NetworkTests {
  @Test func parameterPathsNameTheLayerByItsIndex() throws {
    var generator = SeededGenerator(seed: 1)
    let network = try Network<Float>(
      builders: [
        DenseBuilder(units: 5, activation: ReLU()), DropoutBuilder(rate: 0.2),
        DenseBuilder(units: 3, useBias: false), SoftmaxBuilder(),
      ], inputSize: 4, generator: &generator)
    #expect(
      network.parameters.map(\.path) == ["layers.0.weight", "layers.0.bias", "layers.2.weight"])
    #expect(network.parameters.map(\.parameter.value.shape) == [[5, 4], [1, 5], [3, 5]])
    #expect(network.layers.map(\.kind) == ["dense", "dropout", "dense", "softmax"])
    #expect(network.inputSize == 4)
    #expect(network.outputSize == 3)
    // The paths point at the layers' own matrices, not copies.
    network.parameters[2].parameter.value[0, 0] = 42
    #expect((network.layers[2] as? Dense<Float>)?.weight.value[0, 0] == 42)
  }

  @Test func parameterCountOfAnMNISTNetwork() throws {
    var generator = SeededGenerator(seed: 1)
    let builders: [any LayerBuilder] = [
      DenseBuilder(units: 256, activation: ReLU()), DenseBuilder(units: 128, activation: ReLU()),
      DenseBuilder(units: 10),
    ]
    let network = try Network<Float>(builders: builders, inputSize: 784, generator: &generator)
    // 784·256 + 256 + 256·128 + 128 + 128·10 + 10
    #expect(network.parameterCount == 235_146)
    let counted = zip(builders, [784, 256, 128]).map { $0.parameterCount(inputSize: $1) }
    #expect(counted.reduce(0, +) == 235_146)
  }

  @Test func buildingIsReproducibleFromTheSeed() throws {
    let builders: [any LayerBuilder] = [DenseBuilder(units: 8), DenseBuilder(units: 2)]
    var first = SeededGenerator(seed: 99)
    var second = SeededGenerator(seed: 99)
    let a = try Network<Double>(builders: builders, inputSize: 3, generator: &first)
    let b = try Network<Double>(builders: builders, inputSize: 3, generator: &second)
    for (x, y) in zip(a.parameters, b.parameters) {
      #expect(x.parameter.value.elementsEqual(y.parameter.value))
    }
    #expect(first == second)
  }

  @Test func emptyNetworkIsRejected() {
    var generator = SeededGenerator(seed: 1)
    #expect(throws: InputError.self) {
      try Network<Float>(builders: [], inputSize: 3, generator: &generator)
    }
  }

  @Test func workspacesAreReusedAcrossSteps() throws {
    var generator = SeededGenerator(seed: 2)
    let network = try Network<Float>(
      builders: [DenseBuilder(units: 16, activation: Sigmoid()), DenseBuilder(units: 4)],
      inputSize: 8, generator: &generator)
    let x: Matrix<Float> = randomMatrix(rows: 32, cols: 8, using: &generator)
    let dOutput: Matrix<Float> = randomMatrix(rows: 32, cols: 4, using: &generator)
    var hidden: [UnsafeMutablePointer<Float>] = []
    var outputs: [UnsafeMutablePointer<Float>] = []
    for _ in 0..<3 {
      hidden.append(network.layers[0].forward(x, phase: .training).base)
      outputs.append(network.forward(x, phase: .training).base)
      network.backward(dOutput)
    }
    #expect(Set(hidden).count == 1)
    #expect(Set(outputs).count == 1)
    // A smaller batch views the same memory.
    #expect(network.forward(x.rows(0..<5), phase: .training).base == outputs[0])
  }

  @Test func backwardSparesTheFirstLayerItsInputGradient() {
    let first = RecordingLayer(size: 2)
    let second = RecordingLayer(size: 2)
    let network = Network<Double>(layers: [first, second])
    _ = network.forward(Matrix([[1, 2]]), phase: .training)
    network.backward(Matrix([[1, 1]]))
    #expect(first.inputGradientRequests == [false])
    #expect(second.inputGradientRequests == [true])
    _ = network.predict(Matrix([[1, 2]]))
    #expect(first.phases == [.training, .inference])
  }

  @Test func gradientsMatchCentralDifferencesThroughTheWholeStack() throws {
    var generator = SeededGenerator(seed: 3)
    let network = try Network<Double>(
      builders: [
        DenseBuilder(units: 5, activation: Tanh()), DenseBuilder(units: 4, activation: Sigmoid()),
        DenseBuilder(units: 3, useBias: false), SoftmaxBuilder(),
      ], inputSize: 3, generator: &generator)
    let x: Matrix<Double> = randomMatrix(rows: 6, cols: 3, using: &generator)
    let probe: Matrix<Double> = randomMatrix(rows: 6, cols: 3, using: &generator)
    func loss() -> Double {  // L = Σ A ∘ R, so dL/dA = R
      zip(network.forward(x, phase: .training).scalars, probe.scalars).reduce(0) {
        $0 + $1.0 * $1.1
      }
    }
    _ = network.forward(x, phase: .training)
    network.backward(probe)
    let checker = GradientChecker()
    for (path, parameter) in network.parameters {
      let error = checker.maxError(
        analytic: parameter.gradient.copy(), tensor: parameter.value, loss: loss)
      #expect(error < 1e-6, "\(path): \(error)")
    }
  }

  @Test func predictWorksInChunksAndCopies() throws {
    var generator = SeededGenerator(seed: 4)
    let network = try Network<Double>(
      builders: [
        DenseBuilder(units: 6, activation: Tanh()), DropoutBuilder(rate: 0.5),
        DenseBuilder(units: 2),
      ],
      inputSize: 3, generator: &generator)
    let x: Matrix<Double> = randomMatrix(rows: 10, cols: 3, using: &generator)
    let whole = network.forward(x, phase: .inference).copy()
    let chunked = network.predict(x, chunkSize: 3)
    #expect(chunked.shape == [10, 2])
    #expect(isApproximatelyEqual(chunked, whole, relative: 1e-12))
    _ = network.forward(x.rows(0..<2), phase: .inference)  // overwrites the workspaces
    #expect(isApproximatelyEqual(chunked, whole, relative: 1e-12))  // the copy is untouched
    #expect(network.predict(Matrix<Double>(rows: 0, cols: 3)).shape == [0, 2])
  }

  @Test func copyIsIndependent() throws {
    var generator = SeededGenerator(seed: 5)
    let network = try Network<Double>(
      builders: [
        DenseBuilder(units: 4, activation: Tanh()), DropoutBuilder(rate: 0.3),
        DenseBuilder(units: 2),
      ],
      inputSize: 3, generator: &generator)
    let x: Matrix<Double> = randomMatrix(rows: 5, cols: 3, using: &generator)
    let saved = network.parameters.map { $0.parameter.value.copy() }
    let copy = network.copy()
    #expect(copy.parameters.map(\.path) == network.parameters.map(\.path))
    // Same parameters and the same dropout generator state: the same training output.
    let original = network.forward(x, phase: .training).copy()
    #expect(copy.forward(x, phase: .training).elementsEqual(original))
    for (_, parameter) in copy.parameters { parameter.value.fill(0) }
    #expect(network.predict(x).elementsEqual(copy.predict(x)) == false)
    for (entry, value) in zip(network.parameters, saved) {
      #expect(entry.parameter.value.elementsEqual(value), "\(entry.path) changed with the copy")
    }
  }

  /// The second tutorial's conjunction of perceptrons, with hand-set weights and no learned biases.
  ///
  /// The tutorial writes each sample as a row with a constant 1 appended:
  /// `p = sign([x1 x2 1]·[[1, 0], [1, −1], [−1, 1]])`, i.e. `p1 = sign(x1 + x2 − 1)`,
  /// `p2 = sign(1 − x2)`; then `o = sign([p1 p2 1]·[1, 1, 0])`. In our layout (`W` is
  /// `[outputs, inputs]`) the first weight is the transpose, `[[1, 1, −1], [0, −1, 1]]`.
  ///
  /// To carry the constant 1 into the second layer as its third input, the first layer gets a third
  /// unit with weights `[0, 0, 1]`: it computes `sign(1) = 1` for every sample. The second layer then
  /// sees exactly `[p1 p2 1]` and uses the tutorial's weights `[1, 1, 0]`, with no bias: the same
  /// arithmetic as the tutorial, term for term.
  func conjunction(activation: any Activation) -> Network<Double> {
    let first = Dense<Double>(
      weight: Matrix([[1, 1, -1], [0, -1, 1], [0, 0, 1]]), bias: nil, activation: activation)
    let second = Dense<Double>(weight: Matrix([[1, 1, 0]]), bias: nil, activation: activation)
    return Network(layers: [first, second])
  }

  /// One point in each region cut out by the lines x1 + x2 = 1 and x2 = 1, with a column of 1s:
  /// s1 (p1 = −1, p2 = −1), s2 (−1, +1), s3 (+1, −1), s4 (+1, +1).
  let regions = Matrix<Double>([[-2, 2, 1], [0, 0, 1], [1, 3, 1], [2, 0, 1]])

  @Test func perceptronConjunctionOfTheSecondTutorial() {
    // What each region feeds the output unit: p1 + p2 + 0·1. In s2 and s3 that is a tie (0), and
    // the built-in sign sends 0 to −1, as the tutorial's must for the conjunction.
    let hidden = conjunction(activation: Sign()).layers[0].forward(
      regions, phase: .inference)
    #expect(hidden.scalars == [-1, -1, 1, -1, 1, 1, 1, -1, 1, 1, 1, 1])  // [p1, p2, 1] per region
    let output = conjunction(activation: Sign()).predict(regions)
    #expect(output.scalars == [-1, -1, -1, 1])
  }

  /// Measures how the weight-gradient norm changes from the last layer to the first in an 8-layer
  /// stack of width 16, for the loss ½·Σ(A − Y)² (so dA = A − Y).
  func firstToLastGradientRatio(
    activation: any Activation, initializer: any Initializer, seed: UInt64 = 2718
  ) throws -> Double {
    var generator = SeededGenerator(seed: seed)
    let builders: [any LayerBuilder] = (0..<8).map { _ in
      DenseBuilder(units: 16, activation: activation, initializer: initializer)
    }
    let network = try Network<Double>(builders: builders, inputSize: 16, generator: &generator)
    let x: Matrix<Double> = randomMatrix(rows: 64, cols: 16, using: &generator)
    let y: Matrix<Double> = randomMatrix(rows: 64, cols: 16, using: &generator)
    let a = network.forward(x, phase: .training)
    let dA = Matrix<Double>(rows: 64, cols: 16)
    for i in 0..<dA.count { dA.base[i] = a.base[i] - y.base[i] }  // dA = A − Y
    network.backward(dA)
    let norms = network.gradientNorms()
    #expect(norms.map(\.path) == (0..<8).map { "layers.\($0).weight" })
    return norms[0].norm / norms[7].norm
  }

  @Test func gradientsVanishThroughDeepSigmoidStacksButNotThroughReLU() throws {
    let sigmoid = try firstToLastGradientRatio(activation: Sigmoid(), initializer: GlorotUniform())
    let sigmoidNormal = try firstToLastGradientRatio(
      activation: Sigmoid(), initializer: NormalInitializer())
    let relu = try firstToLastGradientRatio(activation: ReLU(), initializer: HeNormal())
    // Measured over seeds 1…20: sigmoid+glorot 1.1e-5…2.9e-5, sigmoid+N(0,1) 1.4e-3…1.9e-2,
    // relu+he 0.29…1.98. σ' ≤ 0.25 shrinks the gradient at every layer; ReLU's derivative is 0 or 1.
    #expect(sigmoid < 1e-3)  // ≥ 1000× smaller in the first layer (about 40 000× at this seed)
    #expect(sigmoidNormal < 0.05)  // ≥ 20× (saturated N(0,1) weights: about 115× at this seed)
    #expect(relu > 0.1 && relu < 10)  // within 10× either way
  }

  @Test func gradientNormsCanIncludeBiases() throws {
    var generator = SeededGenerator(seed: 6)
    let network = try Network<Double>(
      builders: [DenseBuilder(units: 2), DenseBuilder(units: 1, useBias: false)],
      inputSize: 2, generator: &generator)
    _ = network.forward(Matrix([[1, 2]]), phase: .training)
    network.backward(Matrix([[1]]))
    let norms = network.gradientNorms(includeBiases: true)
    #expect(norms.map(\.path) == ["layers.0.weight", "layers.0.bias", "layers.1.weight"])
    let bias = network.parameters[1].parameter.gradient.scalars
    #expect(
      isApproximatelyEqual(norms[1].norm, (bias[0] * bias[0] + bias[1] * bias[1]).squareRoot()))
  }
}
