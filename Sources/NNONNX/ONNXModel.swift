/// An ONNX tensor element type (`TensorProto.DataType` in `onnx.proto`).
public struct ONNXDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  /// The `TensorProto.DataType` number.
  public var rawValue: Int

  public init(rawValue: Int) { self.rawValue = rawValue }

  /// 32-bit IEEE float (`FLOAT = 1`).
  public static let float = ONNXDataType(rawValue: 1)
  /// Unsigned 8-bit integer (`UINT8 = 2`).
  public static let uint8 = ONNXDataType(rawValue: 2)
  /// Signed 8-bit integer (`INT8 = 3`).
  public static let int8 = ONNXDataType(rawValue: 3)
  /// Signed 32-bit integer (`INT32 = 6`).
  public static let int32 = ONNXDataType(rawValue: 6)
  /// Signed 64-bit integer (`INT64 = 7`).
  public static let int64 = ONNXDataType(rawValue: 7)
  /// Boolean (`BOOL = 9`), stored one byte per element.
  public static let bool = ONNXDataType(rawValue: 9)
  /// 64-bit IEEE double (`DOUBLE = 11`).
  public static let double = ONNXDataType(rawValue: 11)

  /// The name `onnx.proto` gives this type, e.g. `"FLOAT"`.
  public var description: String {
    let names = [
      1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
      8: "STRING",
      9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 16: "BFLOAT16",
    ]
    return names[rawValue] ?? "type \(rawValue)"
  }
}

/// A constant tensor (`TensorProto`): an initializer such as a layer's weight.
///
/// Values are held as `Double` whatever the element type (`Float` values and integers up to 2⁵³ are exact
/// in `Double`); the element type decides how they are encoded: `float_data` (packed 32-bit floats) for
/// FLOAT, `double_data` (packed 64-bit) for DOUBLE, `int64_data` for INT64, `int32_data` for the other
/// integer types and BOOL.
public struct ONNXTensor: Sendable, Equatable {
  /// The tensor's name, e.g. `"layers.0.weight"`.
  public var name: String
  /// The element type.
  public var dataType: ONNXDataType
  /// The shape; `[]` for a scalar.
  public var dims: [Int]
  /// The elements in row-major order; `dims.reduce(1, *)` of them.
  public var values: [Double]

  public init(name: String, dataType: ONNXDataType, dims: [Int], values: [Double]) {
    precondition(
      dims.reduce(1, *) == values.count,
      "tensor '\(name)' of shape \(dims) needs \(dims.reduce(1, *)) values, got \(values.count)")
    self.name = name
    self.dataType = dataType
    self.dims = dims
    self.values = values
  }
}

/// A node attribute's value (`AttributeProto`).
public enum ONNXAttributeValue: Sendable, Equatable {
  /// `FLOAT = 1`: a 32-bit float (ONNX has no double attributes).
  case float(Float)
  /// `INT = 2`: a 64-bit integer.
  case int(Int64)
  /// `STRING = 3`.
  case string(String)
  /// `TENSOR = 4`: a constant tensor.
  case tensor(ONNXTensor)
  /// `FLOATS = 6`.
  case floats([Float])
  /// `INTS = 7`.
  case ints([Int64])
  /// Any other attribute type (graphs, sparse tensors, string lists…), kept only as its type number.
  case unsupported(type: Int)
}

/// A named attribute of a node, e.g. `alpha=0.01` on `LeakyRelu`.
public struct ONNXAttribute: Sendable, Equatable {
  /// The attribute's name.
  public var name: String
  /// Its value.
  public var value: ONNXAttributeValue

  public init(_ name: String, _ value: ONNXAttributeValue) {
    self.name = name
    self.value = value
  }
}

/// One operator application in a graph (`NodeProto`): `outputs = opType(inputs; attributes)`.
public struct ONNXNode: Sendable, Equatable {
  /// A name unique in the graph (nnpipe uses the name of the node's output).
  public var name: String
  /// The operator, e.g. `"Gemm"`.
  public var opType: String
  /// The operator set's domain; `""` is the default ONNX domain.
  public var domain: String
  /// The input tensors' names; `""` marks an omitted optional input.
  public var inputs: [String]
  /// The output tensors' names.
  public var outputs: [String]
  /// The attributes, in order.
  public var attributes: [ONNXAttribute]

  public init(
    name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
    attributes: [ONNXAttribute] = []
  ) {
    self.name = name
    self.opType = opType
    self.domain = domain
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
  }

  /// The attribute named `name`, if present.
  public subscript(attribute name: String) -> ONNXAttributeValue? {
    attributes.first { $0.name == name }?.value
  }
}

/// One dimension of a declared shape (`TensorShapeProto.Dimension`).
public enum ONNXDimension: Sendable, Equatable, CustomStringConvertible {
  /// A fixed size (`dim_value`).
  case value(Int)
  /// A symbolic size (`dim_param`), e.g. `"batch"`: any size, the same wherever the name appears.
  case parameter(String)
  /// Neither is set: any size.
  case unknown

  public var description: String {
    switch self {
    case .value(let size): String(size)
    case .parameter(let name): name
    case .unknown: "?"
    }
  }
}

/// A graph input or output's name, element type and shape (`ValueInfoProto` with a tensor type).
public struct ONNXValueInfo: Sendable, Equatable {
  /// The tensor's name.
  public var name: String
  /// The element type.
  public var elementType: ONNXDataType
  /// The shape, or `nil` when even the rank is unknown.
  public var shape: [ONNXDimension]?

  public init(name: String, elementType: ONNXDataType, shape: [ONNXDimension]?) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }
}

/// A computation graph (`GraphProto`): nodes in topological order, constant initializers, and the
/// tensors it takes and gives.
public struct ONNXGraph: Sendable, Equatable {
  /// The graph's name.
  public var name: String
  /// The nodes; each node's inputs are graph inputs, initializers or outputs of earlier nodes.
  public var nodes: [ONNXNode]
  /// The constant tensors (weights, biases, preprocessing statistics, scalar constants).
  public var initializers: [ONNXTensor]
  /// The tensors a caller feeds.
  public var inputs: [ONNXValueInfo]
  /// The tensors the graph gives.
  public var outputs: [ONNXValueInfo]
  /// Free text describing the graph.
  public var docString: String

  public init(
    name: String, nodes: [ONNXNode], initializers: [ONNXTensor], inputs: [ONNXValueInfo],
    outputs: [ONNXValueInfo], docString: String = ""
  ) {
    self.name = name
    self.nodes = nodes
    self.initializers = initializers
    self.inputs = inputs
    self.outputs = outputs
    self.docString = docString
  }

  /// The initializer named `name`, if any.
  public func initializer(named name: String) -> ONNXTensor? {
    initializers.first { $0.name == name }
  }
}

/// An operator set a model uses (`OperatorSetIdProto`): `""` (the default ONNX domain) at some version.
public struct ONNXOperatorSet: Sendable, Equatable {
  /// The domain; `""` is the default ONNX operator set.
  public var domain: String
  /// The operator set version, e.g. 17.
  public var version: Int

  public init(domain: String, version: Int) {
    self.domain = domain
    self.version = version
  }
}

/// A whole ONNX model (`ModelProto`): format version, operator sets, producer and the graph.
///
/// `ONNXExporter` builds one from a network; `serializedBytes()` encodes it in the protocol-buffers wire
/// format of `onnx.proto`, and `ONNXModelReader` decodes such bytes back.
public struct ONNXModel: Sendable, Equatable {
  /// The file-format version (`ir_version`): 8 for operator set 17.
  public var irVersion: Int
  /// The operator sets the graph's nodes come from.
  public var opsetImports: [ONNXOperatorSet]
  /// The tool that made the model, e.g. `"nnpipe"`.
  public var producerName: String
  /// The tool's version.
  public var producerVersion: String
  /// A reverse-DNS namespace for the model, often empty.
  public var domain: String
  /// The model's own version number.
  public var modelVersion: Int
  /// Free text describing the model.
  public var docString: String
  /// The computation.
  public var graph: ONNXGraph

  public init(
    irVersion: Int, opsetImports: [ONNXOperatorSet], producerName: String, producerVersion: String,
    domain: String = "", modelVersion: Int = 0, docString: String = "", graph: ONNXGraph
  ) {
    self.irVersion = irVersion
    self.opsetImports = opsetImports
    self.producerName = producerName
    self.producerVersion = producerVersion
    self.domain = domain
    self.modelVersion = modelVersion
    self.docString = docString
    self.graph = graph
  }

  /// The version of the default (`""`) operator set, if imported.
  public var defaultOpsetVersion: Int? {
    opsetImports.first { $0.domain == "" || $0.domain == "ai.onnx" }?.version
  }
}

// MARK: - Encoding (field numbers from onnx.proto)

extension ONNXModel {
  /// The model as `ModelProto` bytes, ready to be written to a `.onnx` file.
  ///
  /// Fields are written in field-number order, as protobuf's own serializers do: `ir_version` (1),
  /// `producer_name` (2), `producer_version` (3), `domain` (4), `model_version` (5), `doc_string` (6),
  /// `graph` (7), `opset_import` (8). Empty optional strings and zero numbers are left out.
  public func serializedBytes() -> [UInt8] {
    var writer = ProtobufWriter()
    writer.writeInt64(field: 1, Int64(irVersion))
    writer.writeString(field: 2, producerName)
    writer.writeString(field: 3, producerVersion)
    if !domain.isEmpty { writer.writeString(field: 4, domain) }
    if modelVersion != 0 { writer.writeInt64(field: 5, Int64(modelVersion)) }
    if !docString.isEmpty { writer.writeString(field: 6, docString) }
    writer.writeMessage(field: 7) { graph.encode(into: &$0) }
    for opset in opsetImports {
      writer.writeMessage(field: 8) {
        $0.writeString(field: 1, opset.domain)
        $0.writeInt64(field: 2, Int64(opset.version))
      }
    }
    return writer.bytes
  }
}

extension ONNXGraph {
  /// `GraphProto`: `node` (1), `name` (2), `initializer` (5), `doc_string` (10), `input` (11),
  /// `output` (12).
  func encode(into writer: inout ProtobufWriter) {
    for node in nodes { writer.writeMessage(field: 1) { node.encode(into: &$0) } }
    writer.writeString(field: 2, name)
    for tensor in initializers { writer.writeMessage(field: 5) { tensor.encode(into: &$0) } }
    if !docString.isEmpty { writer.writeString(field: 10, docString) }
    for info in inputs { writer.writeMessage(field: 11) { info.encode(into: &$0) } }
    for info in outputs { writer.writeMessage(field: 12) { info.encode(into: &$0) } }
  }
}

extension ONNXNode {
  /// `NodeProto`: `input` (1), `output` (2), `name` (3), `op_type` (4), `attribute` (5), `domain` (7).
  func encode(into writer: inout ProtobufWriter) {
    for input in inputs { writer.writeString(field: 1, input) }
    for output in outputs { writer.writeString(field: 2, output) }
    writer.writeString(field: 3, name)
    writer.writeString(field: 4, opType)
    for attribute in attributes { writer.writeMessage(field: 5) { attribute.encode(into: &$0) } }
    if !domain.isEmpty { writer.writeString(field: 7, domain) }
  }
}

extension ONNXAttribute {
  /// `AttributeProto`: `name` (1), one value field (`f` 2, `i` 3, `s` 4, `t` 5, `floats` 7, `ints` 8) and
  /// `type` (20), which IR version 8 requires.
  func encode(into writer: inout ProtobufWriter) {
    writer.writeString(field: 1, name)
    let type: Int32
    switch value {
    case .float(let number):
      writer.writeFloat(field: 2, number)
      type = 1
    case .int(let number):
      writer.writeInt64(field: 3, number)
      type = 2
    case .string(let text):
      writer.writeString(field: 4, text)
      type = 3
    case .tensor(let tensor):
      writer.writeMessage(field: 5) { tensor.encode(into: &$0) }
      type = 4
    case .floats(let numbers):
      for number in numbers { writer.writeFloat(field: 7, number) }
      type = 6
    case .ints(let numbers):
      for number in numbers { writer.writeInt64(field: 8, number) }
      type = 7
    case .unsupported(let other):
      preconditionFailure("cannot encode an attribute of unsupported type \(other)")
    }
    writer.writeInt32(field: 20, type)
  }
}

extension ONNXTensor {
  /// `TensorProto`, fields in number order: `dims` (1), `data_type` (2), the data (`float_data` 4,
  /// `int32_data` 5 or `int64_data` 7, packed), `name` (8), and for DOUBLE `double_data` (10, packed).
  func encode(into writer: inout ProtobufWriter) {
    for dim in dims { writer.writeInt64(field: 1, Int64(dim)) }
    writer.writeInt32(field: 2, Int32(dataType.rawValue))
    switch dataType {
    case .float: writer.writePackedFloats(field: 4, values.map { Float($0) })
    case .double: break  // field 10 comes after the name
    case .int64: writer.writePackedInt64s(field: 7, values.map { Int64($0) })
    default:
      // int32_data holds every other integer type and BOOL, each widened to a varint.
      writer.writePackedInt64s(field: 5, values.map { Int64($0) })
    }
    writer.writeString(field: 8, name)
    if dataType == .double { writer.writePackedDoubles(field: 10, values) }
  }
}

extension ONNXValueInfo {
  /// `ValueInfoProto`: `name` (1), `type` (2) → `TypeProto.tensor_type` (1) → `elem_type` (1),
  /// `shape` (2) → `dim` (1) → `dim_value` (1) or `dim_param` (2).
  func encode(into writer: inout ProtobufWriter) {
    writer.writeString(field: 1, name)
    writer.writeMessage(field: 2) { type in
      type.writeMessage(field: 1) { tensorType in
        tensorType.writeInt32(field: 1, Int32(elementType.rawValue))
        guard let shape else { return }
        tensorType.writeMessage(field: 2) { shapeWriter in
          for dimension in shape {
            shapeWriter.writeMessage(field: 1) { dim in
              switch dimension {
              case .value(let size): dim.writeInt64(field: 1, Int64(size))
              case .parameter(let name): dim.writeString(field: 2, name)
              case .unknown: break
              }
            }
          }
        }
      }
    }
  }
}
