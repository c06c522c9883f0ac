import NNCheckpoints
import NNProtocols

/// Exports a feed-forward network to an ONNX model (IR version 8, operator set 17) that ONNX Runtime and
/// other ONNX consumers run unchanged.
///
/// The graph, for a batch `X` of shape `[batch, inputSize]` (the batch dimension is the symbolic
/// `"batch"`):
/// 1. standardization, when the network has it: `Sub(X, input.shift)` then `Div(·, input.scale)`, so raw
///    inputs work (`x' = (x − shift) / scale`, computed exactly as nnpipe does, not as a product by
///    `1/scale`);
/// 2. each dense layer `i` as one `Gemm(A, layers.i.weight, layers.i.bias)` with `transB = 1`:
///    `Z = A·Wᵀ + b` with `W` kept `[outputs, inputs]`, as in the checkpoint and `torch.nn.Linear`
///    (without a bias, `Gemm` simply has no third input), followed by its activation's operators
///    (see `ONNXActivationMapping`);
/// 3. activation layers as their operators, softmax layers as `Softmax(axis = -1)`, dropout as nothing
///    (it is the identity at inference);
/// 4. the network's `outputTransform`, when it has one: `Sigmoid` (node `output.sigmoid`) or
///    `Softmax(axis = -1)` (node `output.softmax`), turning logits into probabilities.
///
/// The last node writes the graph output. Initializers carry nnpipe's parameter paths
/// (`layers.0.weight`, `layers.0.bias`) plus `input.shift`/`input.scale` and a few scalar constants
/// (`constant.one`…), all in the network's precision.
///
/// ```swift
/// let network = ONNXNetwork(
///   inputSize: 1,
///   layers: [
///     .dense(weight: w1, outputs: 20, inputs: 1, bias: b1, activation: "sigmoid"),
///     .dense(weight: w2, outputs: 1, inputs: 20, bias: b2),
///   ])
/// try ONNXExporter().write(network, producerVersion: "1.0.0", to: "sine.onnx")
/// ```
///
/// See Also: `ONNXModelReader`, `ONNXReferenceEvaluator`, `Documentation/ONNX.md`.
public struct ONNXExporter: Sendable {
  /// The ONNX file-format version written: 8, the one that goes with operator set 17.
  public static let irVersion = 8
  /// The default-domain operator set version the graph uses.
  public static let opsetVersion = 17
  /// The `producer_name` written.
  public static let producerName = "nnpipe"
  /// The name of the symbolic batch dimension of the graph's input and output.
  public static let batchDimension = "batch"

  /// Operators that ONNX Runtime's CPU provider (1.32) implements for FLOAT but not for DOUBLE. A double
  /// model that uses them is valid ONNX but ONNX Runtime will not load it; export such networks with
  /// `.float` precision to run them there.
  public static let operatorsWithoutDoubleKernelsInONNXRuntime: Set<String> = [
    "Elu", "Selu", "Softplus", "Softsign", "Erf", "HardSigmoid", "HardSwish",
  ]

  /// An exporter.
  public init() {}

  /// The ONNX model computing `network`.
  ///
  /// - Parameters:
  ///   - network: the network, as plain values.
  ///   - producerVersion: nnpipe's version, written as `producer_version`.
  /// - Throws: `InputError` for an activation with no ONNX equivalent
  ///   (`cannot export activation 'X' to ONNX: no equivalent operator`), an unknown activation option,
  ///   or sizes that do not fit together (naming the layer, e.g. `layers.1.weight`).
  public func model(for network: ONNXNetwork, producerVersion: String) throws -> ONNXModel {
    try validateNames(network)
    var g = ONNXGraphBuilder(dataType: network.precision.dataType)
    var current = network.inputName
    var width = network.inputSize
    guard width >= 1 else {
      throw InputError("cannot export to ONNX: the network needs at least 1 input, got \(width)")
    }

    // 1. Standardization: x' = (x − shift) / scale, per feature.
    if let shift = network.inputShift {
      try checkStatistic(shift, name: "input shift", width: width, nonZero: false)
      g.parameter("input.shift", dims: [width], values: shift)
      current = g.add("Sub", [current, "input.shift"], "input.shifted")
    }
    if let scale = network.inputScale {
      try checkStatistic(scale, name: "input scale", width: width, nonZero: true)
      g.parameter("input.scale", dims: [width], values: scale)
      current = g.add("Div", [current, "input.scale"], "input.standardized")
    }

    // 2. Layers.
    for (index, layer) in network.layers.enumerated() {
      let prefix = "layers.\(index)"
      switch layer {
      case .dense(let weight, let outputs, let inputs, let bias, let activation, let options):
        guard inputs == width else {
          throw InputError(
            "cannot export to ONNX: \(prefix) takes \(inputs) inputs, but "
              + (index == 0 ? "the network has \(width)" : "the layer before it gives \(width)"))
        }
        guard outputs >= 1 else {
          throw InputError("cannot export to ONNX: \(prefix) has \(outputs) outputs")
        }
        guard weight.count == outputs * inputs else {
          throw InputError(
            "cannot export to ONNX: \(prefix).weight has \(weight.count) values, expected "
              + "\(outputs) × \(inputs) = \(outputs * inputs) ([outputs, inputs])")
        }
        if let bias, bias.count != outputs {
          throw InputError(
            "cannot export to ONNX: \(prefix).bias has \(bias.count) values, expected \(outputs)")
        }
        // Z = A·Wᵀ + b: Gemm computes alpha·A·op(B) + beta·C with op(B) = Bᵀ when transB = 1.
        g.parameter("\(prefix).weight", dims: [outputs, inputs], values: weight)
        var gemmInputs = [current, "\(prefix).weight"]
        if let bias {
          g.parameter("\(prefix).bias", dims: [outputs], values: bias)
          gemmInputs.append("\(prefix).bias")
        }
        current = g.add("Gemm", gemmInputs, "\(prefix).linear", [ONNXAttribute("transB", .int(1))])
        current = try ONNXActivationMapping.emit(
          activation, options: options, input: current, prefix: prefix, standalone: false, into: &g)
        width = outputs
      case .activation(let name, let options):
        current = try ONNXActivationMapping.emit(
          name, options: options, input: current, prefix: prefix, standalone: true, into: &g)
      case .dropout:
        continue  // identity at inference
      case .softmax:
        current = g.add(
          "Softmax", [current], "\(prefix).softmax", [ONNXAttribute("axis", .int(-1))])
      }
    }

    // 3. The output transform: logits → probabilities.
    switch network.outputTransform {
    case .none:
      break
    case .sigmoid:
      current = g.add("Sigmoid", [current], "output.sigmoid")
    case .softmax:
      current = g.add("Softmax", [current], "output.softmax", [ONNXAttribute("axis", .int(-1))])
    }

    // 4. The graph output: the last node writes it directly.
    precondition(current == network.inputName || g.nodes.last?.outputs[0] == current)
    if current == network.inputName {
      g.add("Identity", [current], network.outputName)
    } else {
      g.renameLastOutput(to: network.outputName)
    }
    try checkUnique(g, network)

    let batch = ONNXDimension.parameter(Self.batchDimension)
    let graph = ONNXGraph(
      name: "nnpipe", nodes: g.nodes, initializers: g.initializers,
      inputs: [
        ONNXValueInfo(
          name: network.inputName, elementType: g.dataType,
          shape: [batch, .value(network.inputSize)])
      ],
      outputs: [
        ONNXValueInfo(
          name: network.outputName, elementType: g.dataType, shape: [batch, .value(width)])
      ])
    return ONNXModel(
      irVersion: Self.irVersion,
      opsetImports: [ONNXOperatorSet(domain: "", version: Self.opsetVersion)],
      producerName: Self.producerName, producerVersion: producerVersion, graph: graph)
  }

  /// The ONNX model computing `network`, as `ModelProto` bytes (the contents of a `.onnx` file).
  ///
  /// - Throws: as `model(for:producerVersion:)`.
  public func encode(_ network: ONNXNetwork, producerVersion: String) throws -> [UInt8] {
    try model(for: network, producerVersion: producerVersion).serializedBytes()
  }

  /// Writes the ONNX model computing `network` to `path`, atomically (`AtomicFile`): the bytes go to a
  /// temporary file in the same folder, which is flushed and renamed over `path`, so an existing file is
  /// either kept whole or replaced whole.
  ///
  /// - Throws: as `model(for:producerVersion:)`, or `AtomicFile.WriteError` if `path` cannot be written.
  public func write(_ network: ONNXNetwork, producerVersion: String, to path: String) throws {
    let bytes = try encode(network, producerVersion: producerVersion)
    try AtomicFile.write(bytes, to: path)
  }

  // MARK: Checks

  private func validateNames(_ network: ONNXNetwork) throws {
    for (role, name) in [("input", network.inputName), ("output", network.outputName)] {
      guard !name.isEmpty else {
        throw InputError("cannot export to ONNX: the \(role) name is empty")
      }
    }
    guard network.inputName != network.outputName else {
      throw InputError(
        "cannot export to ONNX: the input and output are both named '\(network.inputName)'")
    }
  }

  private func checkStatistic(_ values: [Double], name: String, width: Int, nonZero: Bool) throws {
    guard values.count == width else {
      throw InputError(
        "cannot export to ONNX: the \(name) has \(values.count) values, the network has \(width) inputs"
      )
    }
    if let (index, value) = values.enumerated().first(where: {
      !$0.element.isFinite || (nonZero && $0.element == 0)
    }) {
      throw InputError(
        "cannot export to ONNX: the \(name) of input feature \(index) is \(value), expected a finite"
          + (nonZero ? ", non-zero number" : " number"))
    }
  }

  /// Every tensor name must be produced once: the user's input/output names must not collide with
  /// nnpipe's internal names (`layers.0.weight`…).
  private func checkUnique(_ g: ONNXGraphBuilder, _ network: ONNXNetwork) throws {
    var seen: Set<String> = [network.inputName]
    for name in g.initializers.map(\.name) + g.nodes.flatMap(\.outputs) {
      guard seen.insert(name).inserted else {
        throw InputError(
          "cannot export to ONNX: the tensor name '\(name)' is used twice",
          hint: "choose input and output names other than nnpipe's internal names")
      }
    }
  }
}

/// Collects the nodes and initializers of a graph under construction: parameters in the order they are
/// added, then the scalar constants.
struct ONNXGraphBuilder {
  /// The element type of every floating-point tensor.
  let dataType: ONNXDataType
  private(set) var nodes: [ONNXNode] = []
  private var parameters: [ONNXTensor] = []
  private var constants: [ONNXTensor] = []

  init(dataType: ONNXDataType) { self.dataType = dataType }

  /// The initializers: parameters, then constants.
  var initializers: [ONNXTensor] { parameters + constants }

  /// Adds an initializer holding a parameter.
  mutating func parameter(_ name: String, dims: [Int], values: [Double]) {
    parameters.append(ONNXTensor(name: name, dataType: dataType, dims: dims, values: values))
  }

  /// A scalar constant initializer named `name` (added once, however often it is asked for).
  mutating func constant(_ name: String, _ value: Double) -> String {
    if let existing = constants.first(where: { $0.name == name }) {
      precondition(existing.values == [value], "constant '\(name)' asked for with two values")
      return name
    }
    constants.append(ONNXTensor(name: name, dataType: dataType, dims: [], values: [value]))
    return name
  }

  /// Adds `output = opType(inputs)`; the node is named after its output. Returns the output's name.
  @discardableResult
  mutating func add(
    _ opType: String, _ inputs: [String], _ output: String, _ attributes: [ONNXAttribute] = []
  ) -> String {
    nodes.append(
      ONNXNode(
        name: output, opType: opType, inputs: inputs, outputs: [output], attributes: attributes))
    return output
  }

  /// Renames the last node's output (and the node): nothing reads it yet, since nodes are appended in
  /// topological order.
  mutating func renameLastOutput(to name: String) {
    precondition(!nodes.isEmpty, "no node to rename")
    nodes[nodes.count - 1].outputs[0] = name
    nodes[nodes.count - 1].name = name
  }
}
