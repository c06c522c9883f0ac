import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@testable import NNONNX

/// One activation (with options) and the operators it must become after a dense layer's `Gemm`.
struct ONNXActivationCase: Sendable, CustomTestStringConvertible {
  var name: String
  var options: [String: Double] = [:]
  var operators: [String]

  var testDescription: String {
    options.isEmpty
      ? name
      : "\(name)(\(options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))"
  }

  static let all: [ONNXActivationCase] = [
    ONNXActivationCase(name: "identity", operators: []),
    ONNXActivationCase(name: "linear", operators: []),
    ONNXActivationCase(name: "sigmoid", operators: ["Sigmoid"]),
    ONNXActivationCase(name: "tanh", operators: ["Tanh"]),
    ONNXActivationCase(name: "relu", operators: ["Relu"]),
    ONNXActivationCase(name: "softsign", operators: ["Softsign"]),
    ONNXActivationCase(name: "leaky_relu", operators: ["LeakyRelu"]),
    ONNXActivationCase(name: "leaky_relu", options: ["slope": 0.2], operators: ["LeakyRelu"]),
    ONNXActivationCase(name: "elu", operators: ["Elu"]),
    ONNXActivationCase(name: "elu", options: ["alpha": 0.7], operators: ["Elu"]),
    ONNXActivationCase(name: "selu", operators: ["Selu"]),
    ONNXActivationCase(name: "softplus", operators: ["Softplus"]),
    ONNXActivationCase(
      name: "softplus", options: ["beta": 2, "threshold": 3],
      operators: ["Mul", "Softplus", "Div", "Greater", "Where"]),
    ONNXActivationCase(
      name: "softplus", options: ["threshold": 1], operators: ["Softplus", "Greater", "Where"]),
    ONNXActivationCase(name: "gelu", operators: ["Div", "Erf", "Add", "Mul", "Mul"]),
    ONNXActivationCase(
      name: "gelu", options: ["approximate": 1],
      operators: ["Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul"]),
    ONNXActivationCase(name: "silu", operators: ["Sigmoid", "Mul"]),
    ONNXActivationCase(name: "swish", operators: ["Sigmoid", "Mul"]),
    ONNXActivationCase(name: "mish", operators: ["Softplus", "Tanh", "Mul"]),
    ONNXActivationCase(name: "log_sigmoid", operators: ["Neg", "Softplus", "Neg"]),
    ONNXActivationCase(name: "hard_sigmoid", operators: ["Div", "Add", "Clip"]),
    ONNXActivationCase(name: "hard_swish", operators: ["HardSwish"]),
    ONNXActivationCase(name: "hard_silu", operators: ["HardSwish"]),
    ONNXActivationCase(name: "hard_tanh", operators: ["Clip"]),
    ONNXActivationCase(name: "relu6", operators: ["Clip"]),
    ONNXActivationCase(name: "sign", operators: ["Greater", "LessOrEqual", "Where", "Where"]),
    ONNXActivationCase(name: "step", operators: ["GreaterOrEqual", "Less", "Where", "Where"]),
  ]

  /// Standardized inputs → dense 3→4 with the activation → dense 4→3 (no bias) → the activation as a
  /// layer of its own.
  func network(_ precision: ONNXPrecision) -> ONNXNetwork {
    ONNXNetwork(
      inputSize: 3,
      layers: [
        .dense(
          weight: ONNXTestMath.randomValues(12, seed: 11), outputs: 4, inputs: 3,
          bias: ONNXTestMath.randomValues(4, seed: 12), activation: name, activationOptions: options
        ),
        .dense(weight: ONNXTestMath.randomValues(12, seed: 13), outputs: 3, inputs: 4, bias: nil),
        .activation(name: name, options: options),
      ], precision: precision, inputShift: [0.5, -1, 2], inputScale: [2, 0.5, 1.5])
  }
}

@Suite struct ONNXActivationMappingTests {
  @Test func everyExportableActivationHasATestCase() {
    #expect(Set(ONNXActivationCase.all.map(\.name)) == Set(ONNXActivationMapping.exportableNames))
  }

  @Test(arguments: ONNXActivationCase.all)
  func operatorsInOrder(_ activation: ONNXActivationCase) throws {
    let network = activation.network(.float)
    let model = try ONNXTestMath.roundTrip(network)
    let graph = model.graph
    #expect(model.opsetImports == [ONNXOperatorSet(domain: "", version: 17)])
    #expect(
      graph.inputs == [
        ONNXValueInfo(name: "input", elementType: .float, shape: [.parameter("batch"), .value(3)])
      ])
    let standalone = activation.operators.isEmpty ? ["Identity"] : activation.operators
    #expect(
      graph.nodes.map(\.opType)
        == ["Sub", "Div", "Gemm"] + activation.operators + ["Gemm"] + standalone)
    #expect(graph.nodes.last?.outputs == ["output"])
    #expect(graph.outputs.first?.shape == [.parameter("batch"), .value(3)])
    // Parameters first, then the activation's scalar constants: all in the network's precision.
    #expect(
      Array(graph.initializers.map(\.name).prefix(5)) == [
        "input.shift", "input.scale", "layers.0.weight", "layers.0.bias", "layers.1.weight",
      ])
    #expect(graph.initializers.prefix(5).map(\.dims) == [[3], [3], [4, 3], [4], [3, 4]])
    guard case .dense(let weight, _, _, let bias, _, _) = network.layers[0] else { return }
    #expect(graph.initializer(named: "layers.0.weight")?.values == weight.map { Double(Float($0)) })
    #expect(graph.initializer(named: "layers.0.bias")?.values == bias?.map { Double(Float($0)) })
    #expect(graph.initializers.dropFirst(5).allSatisfy { $0.dims == [] && $0.dataType == .float })
    // Each scalar constant holds the value its name says.
    let expectedConstants: [String: Double] = [
      "constant.zero": 0, "constant.one": 1, "constant.minus_one": -1, "constant.half": 0.5,
      "constant.six": 6, "constant.sqrt2": Double(Float(2.0.squareRoot())),
      "constant.gelu_cubic": Double(Float(0.044715)),
      "constant.sqrt_2_over_pi": Double(Float((2 / Double.pi).squareRoot())),
      "layers.0.softplus.beta": activation.options["beta"] ?? 1,
      "layers.0.softplus.threshold": activation.options["threshold"] ?? 20,
      "layers.2.softplus.beta": activation.options["beta"] ?? 1,
      "layers.2.softplus.threshold": activation.options["threshold"] ?? 20,
    ]
    for constant in graph.initializers.dropFirst(5) {
      #expect(constant.values == [expectedConstants[constant.name] ?? .nan], "\(constant.name)")
    }
  }

  @Test(arguments: ONNXActivationCase.all, ONNXPrecision.allCases)
  func computesTheDirectForwardPass(_ activation: ONNXActivationCase, precision: ONNXPrecision)
    throws
  {
    let network = activation.network(precision)
    let rows = ONNXTestMath.randomRows(32, 3, scale: 3, seed: 21)
    ONNXTestMath.expectClose(
      try ONNXTestMath.evaluate(network, rows), ONNXTestMath.forward(network, rows),
      tolerance: precision == .double ? 1e-6 : 1e-5)
  }

  /// nnpipe's `sign(0) = −1` and `step(0) = 1`, for −0 too, where ONNX's `Sign(0)` would give 0; NaN
  /// stays NaN.
  @Test func signAndStepAtZeroAndNaN() throws {
    let input = [[0.0, -0.0, 2, -3, .nan]]
    for precision in ONNXPrecision.allCases {
      let sign = ONNXNetwork(
        inputSize: 5, layers: [.activation(name: "sign")], precision: precision)
      let step = ONNXNetwork(
        inputSize: 5, layers: [.activation(name: "step")], precision: precision)
      let signed = try ONNXTestMath.evaluate(sign, input)[0]
      let stepped = try ONNXTestMath.evaluate(step, input)[0]
      #expect(Array(signed.prefix(4)) == [-1, -1, 1, -1])
      #expect(signed[4].isNaN)
      #expect(Array(stepped.prefix(4)) == [1, 1, 1, 0])
      #expect(stepped[4].isNaN)
    }
  }

  /// Every built-in activation nnpipe registers, with default options, at special values: either the
  /// exported graph computes exactly what nnpipe's own implementation computes, or the export fails with
  /// the no-equivalent error. New built-ins are covered automatically.
  @Test(arguments: ONNXActivationMappingTests.registeredActivations)
  func agreesWithNNPipeBuiltins(_ name: String) throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinActivations()
    try checkAgainstBuiltin(name, given: [], registry: registry)
  }

  /// The same check with non-default options, converted by `numericOptions(_:of:)`.
  @Test(arguments: [
    ("leaky_relu", [("slope", OptionValue.real(0.3))]),
    ("elu", [("alpha", .real(0.4))]),
    ("softplus", [("beta", .real(2)), ("threshold", .real(3))]),
    ("softplus", [("beta", .real(0.5))]),
    ("gelu", [("approximate", .text("tanh"))]),
  ])
  func agreesWithNNPipeBuiltinsWithOptions(_ name: String, _ given: [(String, OptionValue)]) throws
  {
    var registry = ComponentRegistry()
    try registry.registerBuiltinActivations()
    try checkAgainstBuiltin(name, given: given, registry: registry)
  }

  static let registeredActivations: [String] = {
    var registry = ComponentRegistry()
    try? registry.registerBuiltinActivations()
    return registry.names(of: .activation)
  }()

  private func checkAgainstBuiltin(
    _ name: String, given: [(String, OptionValue)], registry: ComponentRegistry,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let options = try registry.resolveOptions(
      of: .activation, named: name, given: given.map { (key: $0.0, value: $0.1) }
    ).get()
    let activation = try registry.makeActivation(
      ComponentReference(kind: .activation, name: name, options: options))
    let numeric = try ONNXActivationMapping.numericOptions(options, of: name)
    let points = [
      0.0, -0.0, 1e-8, -1e-8, 0.5, -0.5, 1, -1, 2.9, -2.9, 3.1, -3.1, 7, -7, 20, -20, 1e4, -1e4,
    ]
    let network = ONNXNetwork(
      inputSize: points.count, layers: [.activation(name: name, options: numeric)],
      precision: .double)
    guard ONNXActivationMapping.optionDefaults[name] != nil else {
      #expect(
        throws: InputError.self, "'\(name)' has no ONNX mapping: the export must fail",
        sourceLocation: sourceLocation
      ) { try ONNXExporter().encode(network, producerVersion: "t") }
      return
    }
    let exported = try ONNXTestMath.evaluate(network, [points])[0]
    for (z, value) in zip(points, exported) {
      let expected: Double = activation.value(z)
      // ONNX attributes are 32-bit floats (LeakyRelu's and Elu's alpha, Selu's constants): agreement to
      // ~1e-7 relative.
      #expect(
        isApproximatelyEqual(value, expected, absolute: 1e-12, relative: 1e-7),
        "\(name)(\(z)): ONNX \(value), nnpipe \(expected)", sourceLocation: sourceLocation)
    }
  }

  @Test func numericOptionsConversion() throws {
    let options = Options([
      ("approximate", .text("tanh")), ("n", .integer(3)), ("x", .real(0.5)),
      ("flag", .boolean(true)),
    ])
    #expect(
      try ONNXActivationMapping.numericOptions(options, of: "gelu")
        == ["approximate": 1, "n": 3, "x": 0.5, "flag": 1])
    #expect(
      try ONNXActivationMapping.numericOptions(
        Options([("approximate", .text("none"))]), of: "gelu")
        == ["approximate": 0])
    #expect(
      throws: InputError(
        "cannot export activation 'foo' to ONNX: option 'mode=fast' has no numeric form")
    ) {
      try ONNXActivationMapping.numericOptions(Options([("mode", .text("fast"))]), of: "foo")
    }
  }
}
