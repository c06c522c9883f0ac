import Foundation
import NNONNX
import NNProtocols

/// Decodes ONNX `ModelProto` bytes (a `.onnx` file) into an `ONNXModel`, with nnpipe's own
/// protocol-buffers reader.
///
/// It reads what a feed-forward network needs: the operator sets, the graph's nodes (operator, inputs,
/// outputs, attributes), its initializers (shape and data from `float_data`, `double_data`, `int32_data`,
/// `int64_data` or little-endian `raw_data`) and the declared inputs and outputs with their shapes.
/// Fields it does not model (metadata, value_info, training info, functions…) are skipped, as protobuf
/// allows. Malformed bytes, or tensors it cannot hold (external data, strings), are an `InputError` naming
/// the byte offset.
///
/// Used by the tests to check an export, and by a `--check` style command with
/// `ONNXReferenceEvaluator`.
///
/// See Also: `ONNXExporter`, `ONNXModel.serializedBytes()`.
public enum ONNXModelReader {
  /// Decodes `ModelProto` bytes.
  ///
  /// - Parameters:
  ///   - bytes: the file's contents.
  ///   - file: the file's name, used in errors (default `nil`).
  /// - Throws: `InputError` when the bytes are not a well-formed ONNX model.
  public static func decode(_ bytes: [UInt8], file: String? = nil) throws -> ONNXModel {
    do {
      return try decodeModel(bytes[...])
    } catch let error as ProtobufDecodingError {
      throw InputError(
        file: file, "not a readable ONNX model: \(error)",
        hint: "the file may be truncated or not an ONNX model")
    }
  }

  /// Reads and decodes the `.onnx` file at `path`.
  ///
  /// - Throws: `InputError` when the file cannot be read or is not a well-formed ONNX model.
  public static func read(contentsOf path: String) throws -> ONNXModel {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError(file: path, "cannot read the file")
    }
    return try decode([UInt8](data), file: path)
  }

  // MARK: Messages

  private static func decodeModel(_ bytes: ArraySlice<UInt8>) throws -> ONNXModel {
    var model = ONNXModel(
      irVersion: 0, opsetImports: [], producerName: "", producerVersion: "",
      graph: ONNXGraph(name: "", nodes: [], initializers: [], inputs: [], outputs: []))
    var sawGraph = false
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: model.irVersion = Int(try field.int64())
      case 2: model.producerName = try field.string()
      case 3: model.producerVersion = try field.string()
      case 4: model.domain = try field.string()
      case 5: model.modelVersion = Int(try field.int64())
      case 6: model.docString = try field.string()
      case 7:
        model.graph = try decodeGraph(try field.bytes())
        sawGraph = true
      case 8: model.opsetImports.append(try decodeOpset(try field.bytes()))
      default: continue
      }
    }
    guard sawGraph else {
      throw ProtobufDecodingError(offset: bytes.startIndex, "the model has no graph")
    }
    return model
  }

  private static func decodeOpset(_ bytes: ArraySlice<UInt8>) throws -> ONNXOperatorSet {
    var opset = ONNXOperatorSet(domain: "", version: 0)
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: opset.domain = try field.string()
      case 2: opset.version = Int(try field.int64())
      default: continue
      }
    }
    return opset
  }

  private static func decodeGraph(_ bytes: ArraySlice<UInt8>) throws -> ONNXGraph {
    var graph = ONNXGraph(name: "", nodes: [], initializers: [], inputs: [], outputs: [])
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: graph.nodes.append(try decodeNode(try field.bytes()))
      case 2: graph.name = try field.string()
      case 5: graph.initializers.append(try decodeTensor(try field.bytes()))
      case 10: graph.docString = try field.string()
      case 11: graph.inputs.append(try decodeValueInfo(try field.bytes()))
      case 12: graph.outputs.append(try decodeValueInfo(try field.bytes()))
      default: continue
      }
    }
    return graph
  }

  private static func decodeNode(_ bytes: ArraySlice<UInt8>) throws -> ONNXNode {
    var node = ONNXNode(name: "", opType: "", inputs: [], outputs: [])
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: node.inputs.append(try field.string())
      case 2: node.outputs.append(try field.string())
      case 3: node.name = try field.string()
      case 4: node.opType = try field.string()
      case 5: node.attributes.append(try decodeAttribute(try field.bytes()))
      case 7: node.domain = try field.string()
      default: continue
      }
    }
    return node
  }

  private static func decodeAttribute(_ bytes: ArraySlice<UInt8>) throws -> ONNXAttribute {
    var name = ""
    var type: Int?
    var float: Float?
    var int: Int64?
    var string: String?
    var tensor: ONNXTensor?
    var floats: [Float] = []
    var ints: [Int64] = []
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: name = try field.string()
      case 2: float = try field.float()
      case 3: int = try field.int64()
      case 4: string = try field.string()
      case 5: tensor = try decodeTensor(try field.bytes())
      case 7: floats += try field.floats()
      case 8: ints += try field.int64s()
      case 20: type = Int(try field.int64())
      default: continue
      }
    }
    // IR ≥ 3 sets `type`; for older files, infer it from the field that is present.
    let value: ONNXAttributeValue
    switch type {
    case 1?: value = .float(float ?? 0)
    case 2?: value = .int(int ?? 0)
    case 3?: value = .string(string ?? "")
    case 4?:
      guard let tensor else {
        throw ProtobufDecodingError(offset: bytes.startIndex, "attribute '\(name)' has no tensor")
      }
      value = .tensor(tensor)
    case 6?: value = .floats(floats)
    case 7?: value = .ints(ints)
    case let other?: value = .unsupported(type: other)
    case nil:
      if let float {
        value = .float(float)
      } else if let int {
        value = .int(int)
      } else if let string {
        value = .string(string)
      } else if let tensor {
        value = .tensor(tensor)
      } else if !floats.isEmpty {
        value = .floats(floats)
      } else if !ints.isEmpty {
        value = .ints(ints)
      } else {
        value = .unsupported(type: 0)
      }
    }
    return ONNXAttribute(name, value)
  }

  private static func decodeTensor(_ bytes: ArraySlice<UInt8>) throws -> ONNXTensor {
    var dims: [Int64] = []
    var dataType = ONNXDataType(rawValue: 0)
    var name = ""
    var floatData: [Float] = []
    var doubleData: [Double] = []
    var integerData: [Int64] = []
    var rawData: ArraySlice<UInt8>?
    var external = false
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: dims += try field.int64s()
      case 2: dataType = ONNXDataType(rawValue: Int(try field.int64()))
      case 4: floatData += try field.floats()
      case 5, 7: integerData += try field.int64s()
      case 8: name = try field.string()
      case 9: rawData = try field.bytes()
      case 10: doubleData += try field.doubles()
      case 13: external = true  // external_data entries
      case 14: if try field.int64() == 1 { external = true }  // data_location = EXTERNAL
      default: continue
      }
    }
    let start = bytes.startIndex
    guard !external else {
      throw ProtobufDecodingError(
        offset: start, "tensor '\(name)' keeps its data in an external file, which is not supported"
      )
    }
    guard dims.allSatisfy({ $0 >= 0 }) else {
      throw ProtobufDecodingError(
        offset: start, "tensor '\(name)' has a negative dimension \(dims)")
    }
    let shape = dims.map { Int($0) }
    let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
    var values: [Double]
    if let rawData {
      values = try decodeRaw(rawData, as: dataType, name: name, offset: start)
    } else {
      switch dataType {
      case .float: values = floatData.map { Double($0) }
      case .double: values = doubleData
      case .int64, .int32, .int8, .uint8, .bool, ONNXDataType(rawValue: 4),
        ONNXDataType(rawValue: 5):
        values = integerData.map { Double($0) }
      default:
        throw ProtobufDecodingError(
          offset: start, "tensor '\(name)' has element type \(dataType), which is not supported")
      }
    }
    guard values.count == count else {
      throw ProtobufDecodingError(
        offset: start,
        "tensor '\(name)' of shape \(shape) needs \(count) values, has \(values.count)")
    }
    return ONNXTensor(name: name, dataType: dataType, dims: shape, values: values)
  }

  /// `raw_data`: the elements' little-endian bytes, back to back.
  private static func decodeRaw(
    _ raw: ArraySlice<UInt8>, as dataType: ONNXDataType, name: String, offset: Int
  ) throws -> [Double] {
    let width: Int
    switch dataType {
    case .float, .int32: width = 4
    case .double, .int64: width = 8
    case .bool, .uint8, .int8: width = 1
    default:
      throw ProtobufDecodingError(
        offset: offset, "tensor '\(name)' has element type \(dataType), which is not supported")
    }
    guard raw.count % width == 0 else {
      throw ProtobufDecodingError(
        offset: offset,
        "tensor '\(name)': raw_data of \(raw.count) bytes is not a multiple of \(width)")
    }
    return raw.withUnsafeBytes { bytes in
      (0..<bytes.count / width).map { index in
        let offset = index * width
        switch dataType {
        case .float:
          return Double(
            Float(
              bitPattern: UInt32(
                littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
        case .double:
          return Double(
            bitPattern: UInt64(
              littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        case .int32:
          return Double(
            Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .int64:
          return Double(
            Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .int8: return Double(Int8(bitPattern: bytes[offset]))
        default: return Double(bytes[offset])  // BOOL, UINT8
        }
      }
    }
  }

  private static func decodeValueInfo(_ bytes: ArraySlice<UInt8>) throws -> ONNXValueInfo {
    var info = ONNXValueInfo(name: "", elementType: ONNXDataType(rawValue: 0), shape: nil)
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: info.name = try field.string()
      case 2:
        // TypeProto: only tensor_type (1) is modelled.
        var typeReader = ProtobufReader(try field.bytes())
        while let typeField = try typeReader.nextField() {
          guard typeField.number == 1 else { continue }
          var tensorReader = ProtobufReader(try typeField.bytes())
          while let tensorField = try tensorReader.nextField() {
            switch tensorField.number {
            case 1: info.elementType = ONNXDataType(rawValue: Int(try tensorField.int64()))
            case 2: info.shape = try decodeShape(try tensorField.bytes())
            default: continue
            }
          }
        }
      default: continue
      }
    }
    return info
  }

  private static func decodeShape(_ bytes: ArraySlice<UInt8>) throws -> [ONNXDimension] {
    var shape: [ONNXDimension] = []
    var reader = ProtobufReader(bytes)
    while let field = try reader.nextField() {
      guard field.number == 1 else { continue }
      var dimension = ONNXDimension.unknown
      var dimReader = ProtobufReader(try field.bytes())
      while let dimField = try dimReader.nextField() {
        switch dimField.number {
        case 1: dimension = .value(Int(try dimField.int64()))
        case 2: dimension = .parameter(try dimField.string())
        default: continue
        }
      }
      shape.append(dimension)
    }
    return shape
  }
}
