import NNONNXTestSupport
import Testing

@testable import NNONNX

@Suite struct ONNXModelTests {
  /// A model using every attribute kind, both shape forms and tensors of four element types.
  ///
  /// Made anew on each use, not kept in a `static let`: Swift stores an enum's case in the spare
  /// high bits of a pointer in its payload (`ONNXAttributeValue.tensor` here), which
  /// LeakSanitizer does not read as a pointer, so a constant kept until exit is reported as leaked.
  static var sample: ONNXModel {
    ONNXModel(
      irVersion: 8, opsetImports: [ONNXOperatorSet(domain: "", version: 17)],
      producerName: "nnpipe", producerVersion: "0.1.0", domain: "org.example", modelVersion: 3,
      docString: "a test model",
      graph: ONNXGraph(
        name: "g",
        nodes: [
          ONNXNode(
            name: "n0", opType: "Gemm", inputs: ["x", "w", ""], outputs: ["y"],
            attributes: [
              ONNXAttribute("alpha", .float(0.5)), ONNXAttribute("transB", .int(1)),
              ONNXAttribute("mode", .string("fast")), ONNXAttribute("scales", .floats([1, 2.5])),
              ONNXAttribute("axes", .ints([-1, 0, 7])),
              ONNXAttribute(
                "value",
                .tensor(ONNXTensor(name: "t", dataType: .int64, dims: [2], values: [-3, 4]))),
            ]),
          ONNXNode(
            name: "n1", opType: "Custom", domain: "com.example", inputs: ["y"], outputs: ["z"]),
        ],
        initializers: [
          ONNXTensor(name: "w", dataType: .float, dims: [2, 3], values: [1, -2, 0.5, 0, 3, 1e-3]),
          ONNXTensor(name: "d", dataType: .double, dims: [], values: [0.1]),
          ONNXTensor(name: "b", dataType: .bool, dims: [3], values: [1, 0, 1]),
        ],
        inputs: [
          ONNXValueInfo(name: "x", elementType: .float, shape: [.parameter("batch"), .value(3)])
        ],
        outputs: [
          ONNXValueInfo(name: "z", elementType: .float, shape: [.unknown, .value(2)]),
          ONNXValueInfo(name: "s", elementType: .double, shape: nil),
        ], docString: "graph doc"))
  }

  @Test func encodesAndDecodesBackToTheSameModel() throws {
    let decoded = try ONNXModelReader.decode(Self.sample.serializedBytes())
    // Float values are exact in Float here (1e-3 is not, so compare it rounded).
    var expected = Self.sample
    expected.graph.initializers[0].values[5] = Double(Float(1e-3))
    #expect(decoded == expected)
    #expect(decoded.defaultOpsetVersion == 17)
  }

  /// `OperatorSetIdProto { domain: "", version: 17 }` inside `ModelProto.opset_import` (field 8):
  /// ```
  /// 42 04        field 8, length-delimited, 4 bytes
  ///    0A 00     field 1 (domain), empty string
  ///    10 11     field 2 (version), varint 17
  /// ```
  /// and `ir_version = 8` is the model's first field: `08 08`.
  @Test func goldenBytesOfTheModelHeaderAndOpset() {
    let bytes = Self.sample.serializedBytes()
    #expect(Array(bytes.prefix(2)) == [0x08, 0x08])
    #expect(Array(bytes.suffix(6)) == [0x42, 0x04, 0x0A, 0x00, 0x10, 0x11])
  }

  /// `ValueInfoProto` of `x: FLOAT [batch, 3]`, written out by hand:
  /// ```
  /// 0A 01 78                      name "x"
  /// 12 13                         type (19 bytes): TypeProto
  ///    0A 11                      tensor_type (17 bytes)
  ///       08 01                   elem_type FLOAT
  ///       12 0D                   shape (13 bytes)
  ///          0A 07 12 05 62 61 74 63 68   dim { dim_param "batch" } (9 bytes)
  ///          0A 02 08 03                  dim { dim_value 3 } (4 bytes)
  /// ```
  @Test func goldenValueInfo() {
    var writer = ProtobufWriter()
    ONNXValueInfo(name: "x", elementType: .float, shape: [.parameter("batch"), .value(3)])
      .encode(into: &writer)
    #expect(
      writer.bytes == [
        0x0A, 0x01, 0x78, 0x12, 0x13, 0x0A, 0x11, 0x08, 0x01, 0x12, 0x0D, 0x0A, 0x07, 0x12, 0x05,
        0x62, 0x61, 0x74, 0x63, 0x68, 0x0A, 0x02, 0x08, 0x03,
      ])
  }

  /// `TensorProto` of a FLOAT `[2]` tensor `[1, 2]` named `w`:
  /// ```
  /// 08 02                         dims: 2 (unpacked, as onnx.proto's proto2 `repeated int64`)
  /// 10 01                         data_type FLOAT
  /// 22 08 00 00 80 3F 00 00 00 40 float_data, packed: 1.0, 2.0
  /// 42 01 77                      name "w"
  /// ```
  @Test func goldenTensor() {
    var writer = ProtobufWriter()
    ONNXTensor(name: "w", dataType: .float, dims: [2], values: [1, 2]).encode(into: &writer)
    #expect(
      writer.bytes == [
        0x08, 0x02, 0x10, 0x01, 0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x42,
        0x01, 0x77,
      ])
  }

  @Test func dataTypeNames() {
    #expect(ONNXDataType.float.description == "FLOAT")
    #expect(ONNXDataType.double.description == "DOUBLE")
    #expect(ONNXDataType(rawValue: 99).description == "type 99")
  }

  @Test func nodeAttributeLookup() {
    let node = Self.sample.graph.nodes[0]
    #expect(node[attribute: "transB"] == .int(1))
    #expect(node[attribute: "missing"] == nil)
  }
}
