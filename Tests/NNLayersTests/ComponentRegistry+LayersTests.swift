import NNActivations
import NNLayers
import NNProtocols
import Testing

/// A registry with the built-in activations, initializers and layers.
func builtinRegistry() throws -> ComponentRegistry {
  var registry = ComponentRegistry()
  try registry.registerBuiltinActivations()
  try registry.registerBuiltinInitializers()
  try registry.registerBuiltinLayers()
  return registry
}

@Suite("Registered layers")
struct ComponentRegistryLayersTests {
  func make(_ name: String, _ given: [(key: String, value: OptionValue)] = []) throws
    -> any LayerBuilder
  {
    let registry = try builtinRegistry()
    return try registry.makeLayer(registry.reference(.layer, name, given))
  }

  @Test func registersEveryKindWithSummaryAndHelp() throws {
    let registry = try builtinRegistry()
    #expect(registry.names(of: .layer) == ["activation", "dense", "dropout", "softmax"])
    for name in registry.names(of: .layer) {
      #expect(registry.summary(of: .layer, named: name)?.isEmpty == false)
      #expect(
        registry.optionSpecs(of: .layer, named: name)?.allSatisfy { !$0.help.isEmpty } == true)
    }
    var twice = registry
    #expect(throws: ComponentRegistry.DuplicateName.self) { try twice.registerBuiltinLayers() }
  }

  @Test func denseWithDefaultOptions() throws {
    let builder = try #require(try make("dense", [("units", .integer(4))]) as? DenseBuilder)
    #expect(builder.units == 4)
    #expect(builder.activation is Identity)
    #expect(builder.useBias)
    #expect(builder.initializer is GlorotUniform)
    #expect(builder.biasInitializer is ZerosInitializer)
    #expect(builder.detail == "identity")
    #expect(builder.outputActivation is Identity)
  }

  @Test func denseResolvesNestedComponents() throws {
    let registry = try builtinRegistry()
    let leaky = try registry.reference(.activation, "leaky_relu", [("slope", .real(0.2))])
    let normal = try registry.reference(.initializer, "normal", [("std", .real(0.2))])
    let builder = try #require(
      try make(
        "dense",
        [
          ("units", .integer(2)), ("activation", .component(leaky)), ("bias", .boolean(false)),
          ("init", .component(normal)),
        ]) as? DenseBuilder)
    #expect(builder.activation.value(-1.0) == -0.2)
    #expect(!builder.useBias)
    #expect((builder.initializer as? NormalInitializer)?.std == 0.2)
  }

  @Test func activationDropoutSoftmaxWithDefaultOptions() throws {
    let sigmoid = try builtinRegistry().reference(.activation, "sigmoid")
    let activation = try #require(
      try make("activation", [("function", .component(sigmoid))]) as? ActivationLayerBuilder)
    #expect(activation.activation is Sigmoid)
    #expect((try make("dropout") as? DropoutBuilder)?.rate == 0.5)
    #expect(try make("softmax") is SoftmaxBuilder)
  }

  /// The options each kind cannot do without (every other option takes its default).
  static func requiredOptions(of name: String) -> [(key: String, value: OptionValue)] {
    switch name {
    case "dense": [("units", .integer(3))]
    case "activation":
      [("function", .component(ComponentReference(kind: .activation, name: "tanh")))]
    default: []
    }
  }

  @Test func everyRegisteredKindBuildsALayerOfThatKindInBothPrecisions() throws {
    let registry = try builtinRegistry()
    for name in registry.names(of: .layer) {
      let builder = try registry.makeLayer(
        registry.reference(.layer, name, Self.requiredOptions(of: name)))
      #expect(builder.kind == name)
      var generator = SeededGenerator(seed: 1)
      let float = try builder.build(inputSize: 5, as: Float.self, using: &generator)
      let double = try builder.build(inputSize: 5, as: Double.self, using: &generator)
      #expect(float.kind == name && double.kind == name)
      #expect(float.outputSize == builder.outputSize(inputSize: 5))
      #expect(double.parameterCount == builder.parameterCount(inputSize: 5))
      let output = double.forward(Matrix<Double>(rows: 2, cols: 5), phase: .training)
      #expect(output.shape == [2, builder.outputSize(inputSize: 5)])
    }
  }

  @Test(arguments: [
    ("dense", [(key: "units", value: OptionValue.integer(0))]),
    (
      "dense",
      [
        (key: "units", value: OptionValue.integer(3)),
        (
          key: "activation",
          value: .component(ComponentReference(kind: .initializer, name: "zeros"))
        ),
      ]
    ),
    ("dense", [(key: "units", value: OptionValue.real(2.5))]),
    ("dense", [(key: "units", value: OptionValue.integer(3)), (key: "bias", value: .text("yes"))]),
    (
      "dense",
      [(key: "units", value: OptionValue.integer(3)), (key: "activaton", value: .text("relu"))]
    ),
    ("dense", []),
    ("activation", []),
    ("dropout", [(key: "rate", value: OptionValue.real(1.5))]),
    ("dropout", [(key: "rate", value: OptionValue.real(-0.1))]),
    ("softmax", [(key: "axis", value: OptionValue.integer(1))]),
  ])
  func invalidOptionsAreRejected(name: String, given: [(key: String, value: OptionValue)]) throws {
    let registry = try builtinRegistry()
    guard
      case .failure(let problems) = registry.resolveOptions(of: .layer, named: name, given: given)
    else {
      Issue.record("\(name) \(given) was accepted")
      return
    }
    #expect(!problems.description.isEmpty)
  }

  @Test func misspelledOptionGetsASuggestion() throws {
    let registry = try builtinRegistry()
    let result = registry.resolveOptions(
      of: .layer, named: "dense", given: [("units", .integer(3)), ("activaton", .text("relu"))])
    guard case .failure(let problems) = result else {
      Issue.record("accepted")
      return
    }
    #expect(problems.description.contains("did you mean 'activation'?"))
  }

  @Test func dropoutRateOfOneIsRejectedWhenMade() throws {
    let error = try #require(throws: InputError.self) {
      try make("dropout", [("rate", .real(1))])
    }
    #expect(error.message.contains("[0, 1)"))
  }

  @Test func unknownActivationInDenseIsAnInputError() throws {
    let registry = try builtinRegistry()
    let options = Options([
      ("units", .integer(2)),
      ("activation", .component(ComponentReference(kind: .activation, name: "sigmod"))),
      ("bias", .boolean(true)),
      ("init", .component(ComponentReference(kind: .initializer, name: "glorot_uniform"))),
      ("bias_init", .component(ComponentReference(kind: .initializer, name: "zeros"))),
    ])
    let error = try #require(throws: InputError.self) {
      try registry.makeLayer(ComponentReference(kind: .layer, name: "dense", options: options))
    }
    #expect(error.message.contains("did you mean 'sigmoid'?"))
  }
}
