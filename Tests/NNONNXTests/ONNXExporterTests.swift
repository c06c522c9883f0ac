import Foundation
import NNCheckpoints
import NNONNXTestSupport
import NNProtocols
import NNTestSupport
import Testing

@testable import NNONNX

/// The oracle for the ONNX tests: a forward pass computed directly from a network's plain values with
/// the activations' textbook formulas, independent of the exporter and the evaluator.
enum ONNXTestMath {
  /// `g(z)` for the activation `name` with `options` (nnpipe's definitions).
  static func activation(_ name: String, _ options: [String: Double], _ z: Double) -> Double {
    func option(_ key: String) -> Double {
      options[key] ?? ONNXActivationMapping.optionDefaults[name]![key]!
    }
    switch name {
    case "identity", "linear": return z
    case "sigmoid": return 1 / (1 + exp(-z))
    case "tanh": return tanh(z)
    case "relu": return max(z, 0)
    case "softsign": return z / (1 + abs(z))
    case "leaky_relu": return z > 0 ? z : option("slope") * z
    case "elu": return z > 0 ? z : option("alpha") * (exp(z) - 1)
    case "selu": return 1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * (exp(z) - 1))
    case "softplus":
      let beta = option("beta")
      return beta * z > option("threshold") ? z : log(1 + exp(beta * z)) / beta
    case "gelu":
      if option("approximate") == 0 { return 0.5 * z * (1 + erf(z / 2.0.squareRoot())) }
      return 0.5 * z * (1 + tanh((2 / Double.pi).squareRoot() * (z + 0.044715 * z * z * z)))
    case "silu", "swish": return z / (1 + exp(-z))
    case "mish": return z * tanh(log(1 + exp(z)))
    case "log_sigmoid": return -log(1 + exp(-z))
    case "hard_sigmoid": return min(max(z / 6 + 0.5, 0), 1)
    case "hard_swish", "hard_silu": return z * min(max(z + 3, 0), 6) / 6
    case "hard_tanh": return min(max(z, -1), 1)
    case "relu6": return min(max(z, 0), 6)
    case "sign": return z > 0 ? 1 : -1
    case "step": return z >= 0 ? 1 : 0
    default: preconditionFailure("no test formula for '\(name)'")
    }
  }

  /// The network's output for `rows`, in `Double`.
  static func forward(_ network: ONNXNetwork, _ rows: [[Double]]) -> [[Double]] {
    rows.map { row in
      var a = row.indices.map { j in
        (row[j] - (network.inputShift?[j] ?? 0)) / (network.inputScale?[j] ?? 1)
      }
      for layer in network.layers {
        switch layer {
        case .dense(let weight, let outputs, let inputs, let bias, let name, let options):
          // z_i = Σ_j W[i, j]·a_j + b_i
          a = (0..<outputs).map { i in
            let z = (0..<inputs).reduce(bias?[i] ?? 0) { $0 + weight[i * inputs + $1] * a[$1] }
            return activation(name, options, z)
          }
        case .activation(let name, let options): a = a.map { activation(name, options, $0) }
        case .dropout: continue
        case .softmax:
          let total = a.reduce(0) { $0 + exp($1) }
          a = a.map { exp($0) / total }
        }
      }
      return a
    }
  }

  /// `count` rows of `width` normal values times `scale`.
  static func randomRows(_ count: Int, _ width: Int, scale: Double = 1, seed: UInt64) -> [[Double]]
  {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in (0..<width).map { _ in scale * generator.normal() } }
  }

  /// `count` normal values, for weights.
  static func randomValues(_ count: Int, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in generator.normal() }
  }

  /// Encodes `network`, decodes the bytes with nnpipe's reader: what a consumer of the file sees.
  static func roundTrip(_ network: ONNXNetwork) throws -> ONNXModel {
    try ONNXModelReader.decode(ONNXExporter().encode(network, producerVersion: "test"))
  }

  /// The decoded model's output for `rows`, by the reference evaluator.
  static func evaluate(_ network: ONNXNetwork, _ rows: [[Double]]) throws -> [[Double]] {
    try ONNXReferenceEvaluator(roundTrip(network)).predict(rows)
  }

  /// Expects `actual` and `expected` to agree element by element to `tolerance` (absolute and relative).
  static func expectClose(
    _ actual: [[Double]], _ expected: [[Double]], tolerance: Double,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    var worst = 0.0
    for (a, e) in zip(actual, expected) {
      #expect(a.count == e.count, sourceLocation: sourceLocation)
      for (x, y) in zip(a, e)
      where !isApproximatelyEqual(x, y, absolute: tolerance, relative: tolerance) {
        worst = max(worst, abs(x - y))
      }
    }
    #expect(
      worst == 0, "largest disagreement beyond \(tolerance): \(worst)",
      sourceLocation: sourceLocation)
  }
}

@Suite struct ONNXExporterTests {
  /// 3 inputs, standardized; dense 3→4 tanh; dropout; dense 4→2 without bias; softmax.
  static func classifier(_ precision: ONNXPrecision) -> ONNXNetwork {
    ONNXNetwork(
      inputSize: 3,
      layers: [
        .dense(
          weight: ONNXTestMath.randomValues(12, seed: 1), outputs: 4, inputs: 3,
          bias: [0.1, -0.2, 0.3, 0], activation: "tanh"),
        .dropout(rate: 0.5),
        .dense(weight: ONNXTestMath.randomValues(8, seed: 2), outputs: 2, inputs: 4, bias: nil),
        .softmax,
      ], precision: precision, inputShift: [0.5, -1, 2], inputScale: [2, 0.5, 1.5])
  }

  @Test func modelHeader() throws {
    let model = try ONNXModelReader.decode(
      ONNXExporter().encode(Self.classifier(.float), producerVersion: "1.2.3"))
    #expect(model.irVersion == 8)
    #expect(model.opsetImports == [ONNXOperatorSet(domain: "", version: 17)])
    #expect(model.producerName == "nnpipe")
    #expect(model.producerVersion == "1.2.3")
  }

  @Test func graphStructure() throws {
    let network = Self.classifier(.float)
    let graph = try ONNXTestMath.roundTrip(network).graph
    #expect(graph.nodes.map(\.opType) == ["Sub", "Div", "Gemm", "Tanh", "Gemm", "Softmax"])
    #expect(
      graph.nodes.map(\.inputs) == [
        ["input", "input.shift"], ["input.shifted", "input.scale"],
        ["input.standardized", "layers.0.weight", "layers.0.bias"], ["layers.0.linear"],
        ["layers.0.tanh", "layers.2.weight"], ["layers.2.linear"],
      ])
    #expect(
      graph.nodes.map(\.outputs) == [
        ["input.shifted"], ["input.standardized"], ["layers.0.linear"], ["layers.0.tanh"],
        ["layers.2.linear"], ["output"],
      ])
    #expect(graph.nodes[2][attribute: "transB"] == .int(1))
    #expect(graph.nodes[4][attribute: "transB"] == .int(1))
    #expect(graph.nodes[5][attribute: "axis"] == .int(-1))
    #expect(Set(graph.nodes.map(\.name)).count == graph.nodes.count)  // names are unique

    #expect(
      graph.initializers.map(\.name) == [
        "input.shift", "input.scale", "layers.0.weight", "layers.0.bias", "layers.2.weight",
      ])
    #expect(graph.initializers.map(\.dims) == [[3], [3], [4, 3], [4], [2, 4]])
    #expect(graph.initializers.allSatisfy { $0.dataType == .float })
    guard case .dense(let weight, _, _, _, _, _) = network.layers[0] else { return }
    #expect(graph.initializer(named: "layers.0.weight")?.values == weight.map { Double(Float($0)) })
    #expect(
      graph.initializer(named: "layers.0.bias")?.values
        == [0.1, -0.2, 0.3, 0].map { Double(Float($0)) })
    #expect(graph.initializer(named: "input.scale")?.values == [2, 0.5, 1.5])

    #expect(
      graph.inputs == [
        ONNXValueInfo(name: "input", elementType: .float, shape: [.parameter("batch"), .value(3)])
      ])
    #expect(
      graph.outputs == [
        ONNXValueInfo(name: "output", elementType: .float, shape: [.parameter("batch"), .value(2)])
      ])
  }

  @Test(arguments: ONNXPrecision.allCases)
  func computesTheForwardPass(precision: ONNXPrecision) throws {
    let network = Self.classifier(precision)
    let rows = ONNXTestMath.randomRows(16, 3, scale: 3, seed: 7)
    let tolerance = precision == .double ? 1e-12 : 1e-5
    ONNXTestMath.expectClose(
      try ONNXTestMath.evaluate(network, rows), ONNXTestMath.forward(network, rows),
      tolerance: tolerance)
  }

  @Test func doublePrecisionKeepsEveryBit() throws {
    let graph = try ONNXTestMath.roundTrip(Self.classifier(.double)).graph
    #expect(graph.initializers.allSatisfy { $0.dataType == .double })
    guard case .dense(let weight, _, _, _, _, _) = Self.classifier(.double).layers[0] else {
      return
    }
    #expect(graph.initializer(named: "layers.0.weight")?.values == weight)
    #expect(graph.inputs[0].elementType == .double)
    #expect(graph.outputs[0].elementType == .double)
  }

  /// Standardization is folded into the graph, so raw inputs give what the network gives for
  /// standardized inputs: `f((x − shift)/scale)`.
  @Test(arguments: [(true, true), (true, false), (false, true)])
  func standardizationIsFolded(shift hasShift: Bool, scale hasScale: Bool) throws {
    let shift = [3.0, -4]
    let scale = [0.25, 8.0]
    let layers: [ONNXLayer] = [
      .dense(
        weight: [1, -2, 0.5, 3], outputs: 2, inputs: 2, bias: [0.5, -0.5], activation: "sigmoid")
    ]
    let folded = ONNXNetwork(
      inputSize: 2, layers: layers, precision: .double, inputShift: hasShift ? shift : nil,
      inputScale: hasScale ? scale : nil)
    let plain = ONNXNetwork(inputSize: 2, layers: layers, precision: .double)
    let raw = ONNXTestMath.randomRows(10, 2, scale: 5, seed: 3)
    let standardized = raw.map { row in
      row.indices.map { (row[$0] - (hasShift ? shift[$0] : 0)) / (hasScale ? scale[$0] : 1) }
    }
    ONNXTestMath.expectClose(
      try ONNXTestMath.evaluate(folded, raw), try ONNXTestMath.evaluate(plain, standardized),
      tolerance: 1e-12)
    let operators = try ONNXTestMath.roundTrip(folded).graph.nodes.map(\.opType)
    #expect(
      operators == (hasShift ? ["Sub"] : []) + (hasScale ? ["Div"] : []) + ["Gemm", "Sigmoid"])
  }

  @Test func unmappableActivationIsNamed() throws {
    let dense = ONNXNetwork(
      inputSize: 1,
      layers: [.dense(weight: [1], outputs: 1, inputs: 1, bias: nil, activation: "wiggle")])
    let error = try #require(throws: InputError.self) {
      try ONNXExporter().encode(dense, producerVersion: "test")
    }
    #expect(error.message == "cannot export activation 'wiggle' to ONNX: no equivalent operator")
    #expect(error.hint?.hasPrefix("in layers.0; activations with an ONNX equivalent: ") == true)

    let standalone = ONNXNetwork(
      inputSize: 2, layers: [.dropout(rate: 0.1), .activation(name: "X")])
    let second = try #require(throws: InputError.self) {
      try ONNXExporter().encode(standalone, producerVersion: "test")
    }
    #expect(second.message == "cannot export activation 'X' to ONNX: no equivalent operator")
    #expect(second.hint?.hasPrefix("in layers.1;") == true)
  }

  @Test func unknownOrInvalidActivationOptionsAreErrors() throws {
    func message(_ layer: ONNXLayer) throws -> String {
      try #require(throws: InputError.self) {
        try ONNXExporter().encode(ONNXNetwork(inputSize: 2, layers: [layer]), producerVersion: "t")
      }.message
    }
    #expect(
      try message(.activation(name: "leaky_relu", options: ["alpha": 0.1]))
        == "cannot export activation 'leaky_relu' to ONNX: unknown option 'alpha'; expected one of: slope"
    )
    #expect(
      try message(.activation(name: "relu", options: ["slope": 0.1]))
        == "cannot export activation 'relu' to ONNX: unknown option 'slope'; it has none")
    #expect(
      try message(.activation(name: "elu", options: ["alpha": .nan]))
        == "cannot export activation 'elu' to ONNX: option 'alpha' is not finite")
    #expect(
      try message(.activation(name: "gelu", options: ["approximate": 2]))
        == "cannot export activation 'gelu' to ONNX: option 'approximate' must be 0 (erf) or 1 (tanh), got 2.0"
    )
  }

  @Test func sizeMismatchesNameTheParameter() throws {
    func message(_ network: ONNXNetwork) throws -> String {
      try #require(throws: InputError.self) {
        try ONNXExporter().encode(network, producerVersion: "t")
      }.message
    }
    let good = ONNXLayer.dense(weight: [1, 2], outputs: 1, inputs: 2, bias: [0])
    #expect(
      try message(
        ONNXNetwork(
          inputSize: 2, layers: [.dense(weight: [1, 2, 3], outputs: 1, inputs: 2, bias: nil)]))
        == "cannot export to ONNX: layers.0.weight has 3 values, expected 1 × 2 = 2 ([outputs, inputs])"
    )
    #expect(
      try message(
        ONNXNetwork(
          inputSize: 2, layers: [good, .dense(weight: [1, 2], outputs: 1, inputs: 2, bias: nil)]))
        == "cannot export to ONNX: layers.1 takes 2 inputs, but the layer before it gives 1")
    #expect(
      try message(ONNXNetwork(inputSize: 3, layers: [good]))
        == "cannot export to ONNX: layers.0 takes 2 inputs, but the network has 3")
    #expect(
      try message(
        ONNXNetwork(
          inputSize: 2, layers: [.dense(weight: [1, 2], outputs: 1, inputs: 2, bias: [0, 1])]))
        == "cannot export to ONNX: layers.0.bias has 2 values, expected 1")
    #expect(
      try message(ONNXNetwork(inputSize: 2, layers: [good], inputShift: [1]))
        == "cannot export to ONNX: the input shift has 1 values, the network has 2 inputs")
    #expect(
      try message(ONNXNetwork(inputSize: 2, layers: [good], inputScale: [1, 0]))
        == "cannot export to ONNX: the input scale of input feature 1 is 0.0, expected a finite, non-zero number"
    )
    #expect(
      try message(ONNXNetwork(inputSize: 0, layers: []))
        == "cannot export to ONNX: the network needs at least 1 input, got 0")
  }

  @Test func customNamesAndCollisions() throws {
    let layer = ONNXLayer.dense(
      weight: [1, 2], outputs: 1, inputs: 2, bias: nil, activation: "relu")
    let named = ONNXNetwork(
      inputSize: 2, layers: [layer], inputName: "features", outputName: "score")
    let graph = try ONNXTestMath.roundTrip(named).graph
    #expect(graph.inputs.map(\.name) == ["features"])
    #expect(graph.outputs.map(\.name) == ["score"])
    #expect(graph.nodes.first?.inputs.first == "features")
    #expect(graph.nodes.last?.outputs == ["score"])

    let same = ONNXNetwork(inputSize: 2, layers: [layer], inputName: "x", outputName: "x")
    #expect(throws: InputError("cannot export to ONNX: the input and output are both named 'x'")) {
      try ONNXExporter().encode(same, producerVersion: "t")
    }
    let clash = ONNXNetwork(inputSize: 2, layers: [layer], outputName: "layers.0.weight")
    let error = try #require(throws: InputError.self) {
      try ONNXExporter().encode(clash, producerVersion: "t")
    }
    #expect(
      error.message == "cannot export to ONNX: the tensor name 'layers.0.weight' is used twice")
  }

  @Test func dropoutAloneExportsAnIdentity() throws {
    let network = ONNXNetwork(inputSize: 3, layers: [.dropout(rate: 0.2)])
    let graph = try ONNXTestMath.roundTrip(network).graph
    #expect(graph.nodes.map(\.opType) == ["Identity"])
    #expect(graph.nodes[0].inputs == ["input"])
    #expect(graph.nodes[0].outputs == ["output"])
    let rows = [[1.0, -2, 3]]
    #expect(try ONNXTestMath.evaluate(network, rows) == rows)
  }

  @Test func denseWithIdentityActivationIsOneGemm() throws {
    let network = ONNXNetwork(
      inputSize: 2, layers: [.dense(weight: [1, 2, 3, 4], outputs: 2, inputs: 2, bias: [1, -1])])
    let graph = try ONNXTestMath.roundTrip(network).graph
    #expect(graph.nodes.map(\.opType) == ["Gemm"])
    // [1, 1]·Wᵀ + b = [1 + 2 + 1, 3 + 4 − 1]
    #expect(try ONNXTestMath.evaluate(network, [[1, 1]]) == [[4, 6]])
  }

  @Test func writesAtomicallyAndOverwrites() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-onnx-export-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("model.onnx").path
    try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))

    let network = Self.classifier(.float)
    try ONNXExporter().write(network, producerVersion: "9", to: path)
    let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(written == (try ONNXExporter().encode(network, producerVersion: "9")))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.onnx"])

    let missing = folder.appendingPathComponent("no/such/folder/model.onnx").path
    #expect(throws: AtomicFile.WriteError.self) {
      try ONNXExporter().write(network, producerVersion: "9", to: missing)
    }
    // A network that cannot be exported leaves the existing file alone.
    #expect(throws: InputError.self) {
      try ONNXExporter().write(
        ONNXNetwork(inputSize: 1, layers: [.activation(name: "nope")]), producerVersion: "9",
        to: path)
    }
    #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == written)
  }
}
