import NNActivations
import NNLayers
import NNProtocols
import Testing

@Suite("Layer builders")
struct LayerBuildersTests {
  @Test func denseBuilderDescribesAndBuildsTheLayer() throws {
    let builder = DenseBuilder(units: 3, activation: Tanh())
    #expect(builder.kind == "dense")
    #expect(builder.outputSize(inputSize: 7) == 3)
    #expect(builder.parameterCount(inputSize: 7) == 24)  // 3·7 + 3
    #expect(DenseBuilder(units: 3, useBias: false).parameterCount(inputSize: 7) == 21)
    #expect(builder.detail == "tanh")
    #expect(builder.outputActivation?.name == "tanh")
    var generator = SeededGenerator(seed: 1)
    let layer = try #require(
      try builder.build(inputSize: 7, as: Float.self, using: &generator) as? Dense<Float>)
    #expect(layer.weight.value.shape == [3, 7])
    #expect(layer.activation.name == "tanh")
    // Glorot uniform weights (limit √(6/10)), zero bias: the defaults.
    let limit = Float((6.0 / 10).squareRoot())
    #expect(layer.weight.value.scalars.allSatisfy { abs($0) <= limit })
    #expect(Set(layer.weight.value.scalars).count == 21)
    #expect(layer.bias?.value.scalars == [0, 0, 0])
  }

  @Test func denseBuilderDefaultsToIdentityAndUsesItsInitializers() throws {
    let builder = DenseBuilder(
      units: 2, initializer: ConstantInitializer(value: 0.5),
      biasInitializer: ConstantInitializer(value: -1))
    #expect(builder.detail == "identity")
    var generator = SeededGenerator(seed: 1)
    let layer = try #require(
      try builder.build(inputSize: 2, as: Double.self, using: &generator) as? Dense<Double>)
    #expect(layer.weight.value.scalars == [0.5, 0.5, 0.5, 0.5])
    #expect(layer.bias?.value.scalars == [-1, -1])
    #expect(layer.forward(Matrix([[1, 3]]), phase: .inference).scalars == [1, 1])  // 0.5 + 1.5 − 1
  }

  @Test func buildersRejectAnEmptyInput() {
    var generator = SeededGenerator(seed: 1)
    let builders: [any LayerBuilder] = [
      DenseBuilder(units: 2), ActivationLayerBuilder(activation: ReLU()), DropoutBuilder(),
      SoftmaxBuilder(),
    ]
    for builder in builders {
      #expect(throws: InputError.self) {
        try builder.build(inputSize: 0, as: Float.self, using: &generator)
      }
    }
  }

  @Test func activationBuilderKeepsTheShape() throws {
    let builder = ActivationLayerBuilder(activation: Sigmoid())
    #expect(builder.outputSize(inputSize: 5) == 5)
    #expect(builder.parameterCount(inputSize: 5) == 0)
    #expect(builder.outputActivation?.name == "sigmoid")
    var generator = SeededGenerator(seed: 1)
    let before = generator
    let layer = try builder.build(inputSize: 5, as: Double.self, using: &generator)
    #expect(layer is ActivationLayer<Double>)
    #expect(generator == before)  // nothing random to draw
  }

  @Test func dropoutBuilderSplitsTheRunGenerator() throws {
    let builder = DropoutBuilder(rate: 0.25)
    #expect(builder.detail == "p=0.25")
    #expect(builder.outputActivation == nil)
    #expect(DropoutBuilder().rate == 0.5)
    var generator = SeededGenerator(seed: 10)
    var expected = generator
    let layer = try #require(
      try builder.build(inputSize: 4, as: Float.self, using: &generator) as? Dropout<Float>)
    #expect(layer.generator == expected.split())  // its own generator, split from the run's
    #expect(generator == expected)
    #expect(layer.rate == 0.25)
  }

  @Test func softmaxBuilderProducesProbabilities() throws {
    let builder = SoftmaxBuilder()
    #expect(builder.outputForm == .distribution)
    #expect(builder.outputActivation == nil)
    #expect(builder.outputSize(inputSize: 10) == 10)
    var generator = SeededGenerator(seed: 1)
    #expect(try builder.build(inputSize: 10, as: Float.self, using: &generator) is Softmax<Float>)
  }
}
