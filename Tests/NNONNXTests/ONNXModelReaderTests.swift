import Foundation
import NNCheckpoints
import NNProtocols
import Testing

@testable import NNONNX
@testable import NNONNXTestSupport

@Suite struct ONNXModelReaderTests {
  /// `ModelProto` bytes around a graph whose fields `body` writes.
  static func model(graph body: (inout ProtobufWriter) -> Void) -> [UInt8] {
    var writer = ProtobufWriter()
    writer.writeInt64(field: 1, 8)
    writer.writeMessage(field: 7, body)
    writer.writeMessage(field: 8) {
      $0.writeString(field: 1, "")
      $0.writeInt64(field: 2, 17)
    }
    return writer.bytes
  }

  @Test func decodesRawData() throws {
    // Tensors as PyTorch's exporter writes them: little-endian bytes in raw_data (field 9).
    let bytes = Self.model { graph in
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt64(field: 1, 2)
        tensor.writeInt32(field: 2, 9)  // BOOL, one byte each
        tensor.writeString(field: 8, "b")
        tensor.writeBytes(field: 9, [1, 0])
      }
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt64(field: 1, 1)
        tensor.writeInt32(field: 2, 6)  // INT32
        tensor.writeString(field: 8, "n")
        tensor.writeBytes(field: 9, [0xFE, 0xFF, 0xFF, 0xFF])  // −2
      }
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt64(field: 1, 2)
        tensor.writeInt32(field: 2, 1)  // FLOAT
        tensor.writeString(field: 8, "f")
        tensor.writeBytes(field: 9, [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])  // 1, −2
      }
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt32(field: 2, 11)  // DOUBLE scalar
        tensor.writeString(field: 8, "d")
        tensor.writeBytes(field: 9, [0, 0, 0, 0, 0, 0, 0xE0, 0x3F])  // 0.5
      }
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt64(field: 1, 2)
        tensor.writeInt32(field: 2, 7)  // INT64
        tensor.writeString(field: 8, "i")
        tensor.writeBytes(
          field: 9, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0])
      }
    }
    let model = try ONNXModelReader.decode(bytes)
    #expect(model.graph.initializer(named: "b")?.values == [1, 0])
    #expect(model.graph.initializer(named: "n")?.values == [-2])
    #expect(model.graph.initializer(named: "f")?.values == [1, -2])
    #expect(model.graph.initializer(named: "f")?.dims == [2])
    #expect(model.graph.initializer(named: "d")?.values == [0.5])
    #expect(model.graph.initializer(named: "d")?.dims == [])
    #expect(model.graph.initializer(named: "i")?.values == [-1, 3])
  }

  @Test func skipsFieldsItDoesNotModel() throws {
    var writer = ProtobufWriter()
    writer.writeMessage(field: 14) { $0.writeString(field: 1, "key") }  // metadata_props
    writer.writeMessage(field: 7) { graph in
      graph.writeMessage(field: 13) { $0.writeString(field: 1, "hidden") }  // value_info
      graph.writeString(field: 2, "g")
    }
    writer.writeDouble(field: 99, 1)  // a field from a future schema
    let model = try ONNXModelReader.decode(writer.bytes)
    #expect(model.graph.name == "g")
    #expect(model.opsetImports.isEmpty)
  }

  @Test func inputShapesAndTypes() throws {
    let bytes = Self.model { graph in
      graph.writeMessage(field: 11) {
        ONNXValueInfo(name: "x", elementType: .double, shape: [.parameter("n"), .value(4)])
          .encode(into: &$0)
      }
    }
    let input = try #require(try ONNXModelReader.decode(bytes).graph.inputs.first)
    #expect(
      input == ONNXValueInfo(name: "x", elementType: .double, shape: [.parameter("n"), .value(4)]))
  }

  @Test func truncatedFileIsAnInputError() throws {
    let bytes = ONNXModelTests.sample.serializedBytes()
    let cut = Array(bytes.prefix(bytes.count - 3))
    let error = try #require(throws: InputError.self) {
      try ONNXModelReader.decode(cut, file: "model.onnx")
    }
    #expect(error.file == "model.onnx")
    #expect(error.message.hasPrefix("not a readable ONNX model: "))
    #expect(error.message.contains("at byte"))
  }

  @Test func modelWithoutGraphIsAnError() throws {
    var writer = ProtobufWriter()
    writer.writeInt64(field: 1, 8)
    let error = try #require(throws: InputError.self) { try ONNXModelReader.decode(writer.bytes) }
    #expect(error.message == "not a readable ONNX model: the model has no graph at byte 0")
  }

  @Test func externalDataIsRejected() throws {
    let bytes = Self.model { graph in
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt32(field: 2, 1)
        tensor.writeString(field: 8, "big")
        tensor.writeMessage(field: 13) { $0.writeString(field: 1, "location") }
        tensor.writeInt32(field: 14, 1)  // data_location = EXTERNAL
      }
    }
    let error = try #require(throws: InputError.self) { try ONNXModelReader.decode(bytes) }
    #expect(error.message.contains("tensor 'big' keeps its data in an external file"))
  }

  @Test func tensorWithTooFewValuesIsAnError() throws {
    let bytes = Self.model { graph in
      graph.writeMessage(field: 5) { tensor in
        tensor.writeInt64(field: 1, 3)
        tensor.writeInt32(field: 2, 1)
        tensor.writePackedFloats(field: 4, [1, 2])
        tensor.writeString(field: 8, "w")
      }
    }
    let error = try #require(throws: InputError.self) { try ONNXModelReader.decode(bytes) }
    #expect(error.message.contains("tensor 'w' of shape [3] needs 3 values, has 2"))
  }

  @Test func readsAFileAndNamesAMissingOne() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-onnx-reader-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("m.onnx").path
    try AtomicFile.write(ONNXModelTests.sample.serializedBytes(), to: path)
    #expect(try ONNXModelReader.read(contentsOf: path).producerName == "nnpipe")

    let missing = folder.appendingPathComponent("absent.onnx").path
    #expect(throws: InputError(file: missing, "cannot read the file")) {
      try ONNXModelReader.read(contentsOf: missing)
    }
  }
}
