import NNONNX
import Testing

@testable import NNONNXTestSupport

@Suite struct ProtobufReaderTests {
  @Test(arguments: [
    UInt64(0), 1, 127, 128, 300, 16_383, 16_384, UInt64(1) << 63, UInt64.max, 0x0123_4567_89AB_CDEF,
  ])
  func varintRoundTrip(value: UInt64) throws {
    var writer = ProtobufWriter()
    writer.appendVarint(value)
    var reader = ProtobufReader(writer.bytes)
    #expect(try reader.readVarint() == value)
    #expect(reader.isAtEnd)
  }

  @Test func decodesHandWrittenVarints() throws {
    var reader = ProtobufReader([0xAC, 0x02, 0x80, 0x01, 0x7F])
    #expect(try reader.readVarint() == 300)
    #expect(try reader.readVarint() == 128)
    #expect(try reader.readVarint() == 127)
  }

  @Test func fieldsRoundTrip() throws {
    var nested = ProtobufWriter()
    nested.writeString(field: 1, "inner")
    var writer = ProtobufWriter()
    writer.writeInt64(field: 1, -5)
    writer.writeInt64(field: 2, Int64.max)
    writer.writeFloat(field: 3, -0.25)
    writer.writeDouble(field: 4, .pi)
    writer.writeString(field: 5, "héllo")
    writer.writeMessage(field: 6, nested)
    writer.writePackedFloats(field: 7, [1.5, -2, .infinity])
    writer.writePackedDoubles(field: 8, [1e-300, -7])
    writer.writePackedInt64s(field: 9, [0, -1, 1 << 40])
    writer.writeInt32(field: 536_870_911, 3)  // the largest field number, 2²⁹ − 1

    var reader = ProtobufReader(writer.bytes)
    let fields = try reader.allFields()
    #expect(fields.map(\.number) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 536_870_911])
    #expect(try fields[0].int64() == -5)
    #expect(try fields[1].int64() == Int64.max)
    #expect(try fields[2].float() == -0.25)
    #expect(try fields[3].double() == .pi)
    #expect(try fields[4].string() == "héllo")
    var inner = ProtobufReader(try fields[5].bytes())
    #expect(try inner.nextField()?.string() == "inner")
    #expect(try inner.nextField() == nil)
    #expect(try fields[6].floats() == [1.5, -2, .infinity])
    #expect(try fields[7].doubles() == [1e-300, -7])
    #expect(try fields[8].int64s() == [0, -1, 1 << 40])
    #expect(try fields[9].int64() == 3)
  }

  @Test func acceptsUnpackedRepeatedScalars() throws {
    // A proto2 writer may emit `repeated int64 dims = 1` and `repeated float floats = 7` unpacked: one
    // tagged value per element. Each occurrence contributes one element.
    var writer = ProtobufWriter()
    writer.writeInt64(field: 1, 4)
    writer.writeInt64(field: 1, 5)
    writer.writeFloat(field: 7, 0.5)
    writer.writeDouble(field: 8, 2.5)
    var reader = ProtobufReader(writer.bytes)
    let fields = try reader.allFields()
    #expect(try fields[0].int64s() + fields[1].int64s() == [4, 5])
    #expect(try fields[2].floats() == [0.5])
    #expect(try fields[3].doubles() == [2.5])
  }

  @Test func offsetsAreAbsoluteInsideNestedMessages() throws {
    var writer = ProtobufWriter()
    writer.writeString(field: 1, "ab")  // bytes 0…3
    // Field 2: tag at byte 4, length at 5, body at 6.
    writer.writeMessage(field: 2) { $0.writeVarint(field: 3, 1) }
    var reader = ProtobufReader(writer.bytes)
    _ = try reader.nextField()
    let message = try #require(try reader.nextField())
    #expect(message.offset == 4)
    var inner = ProtobufReader(try message.bytes())
    #expect(try inner.nextField()?.offset == 6)
  }

  @Test func truncatedVarintIsAnError() {
    // A tag, then a varint whose continuation byte is missing.
    var reader = ProtobufReader([0x08, 0x96])
    #expect(throws: ProtobufDecodingError(offset: 1, "truncated varint")) {
      _ = try reader.nextField()
    }
  }

  @Test func overlongVarintIsAnError() {
    var reader = ProtobufReader([UInt8](repeating: 0xFF, count: 9) + [0x02])
    #expect(throws: ProtobufDecodingError(offset: 0, "varint longer than 64 bits")) {
      _ = try reader.readVarint()
    }
  }

  @Test func lengthBeyondTheEndIsAnError() {
    var reader = ProtobufReader([0x12, 0x05, 0x61, 0x62])  // field 2 claims 5 bytes, 2 follow
    #expect(throws: ProtobufDecodingError(offset: 0, "field 2 claims 5 bytes but only 2 remain")) {
      _ = try reader.nextField()
    }
  }

  @Test func truncatedFixedWidthValueIsAnError() {
    var reader = ProtobufReader([0x1D, 0x00, 0x00])  // field 3 fixed32 with two bytes
    #expect(
      throws: ProtobufDecodingError(offset: 1, "truncated 32-bit value: needs 4 bytes, 2 left")
    ) {
      _ = try reader.nextField()
    }
  }

  @Test func groupWireTypesAndFieldZeroAreRejected() {
    var group = ProtobufReader([0x0B])  // field 1, wire type 3 (start group)
    #expect(throws: ProtobufDecodingError(offset: 0, "unsupported wire type 3 in field 1")) {
      _ = try group.nextField()
    }
    var zero = ProtobufReader([0x00, 0x01])
    #expect(throws: ProtobufDecodingError(offset: 0, "invalid field number 0")) {
      _ = try zero.nextField()
    }
  }

  @Test func mismatchedAccessorsAreErrors() throws {
    var writer = ProtobufWriter()
    writer.writeVarint(field: 1, 1)
    writer.writeBytes(field: 2, [0xFF, 0xFE])
    writer.writeBytes(field: 3, [0, 0, 0])
    var reader = ProtobufReader(writer.bytes)
    let fields = try reader.allFields()
    #expect(throws: ProtobufDecodingError(offset: 0, "field 1 is not a 32-bit float")) {
      _ = try fields[0].float()
    }
    #expect(throws: ProtobufDecodingError(offset: 2, "field 2 is not valid UTF-8")) {
      _ = try fields[1].string()
    }
    #expect(
      throws: ProtobufDecodingError(
        offset: 6, "packed floats in field 3 take 3 bytes, not a multiple of 4")
    ) {
      _ = try fields[2].floats()
    }
  }

  @Test func decodesTheWriterGoldenMessage() throws {
    // The same bytes as ProtobufWriterTests.goldenMessage, read back.
    let bytes: [UInt8] = [
      0x08, 0x96, 0x01, 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67, 0x1D, 0x00, 0x00,
      0x80,
      0x3F, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x2A, 0x08, 0x00, 0x00, 0x80,
      0x3F,
      0x00, 0x00, 0x00, 0x40,
    ]
    var reader = ProtobufReader(bytes)
    let fields = try reader.allFields()
    #expect(try fields[0].int64() == 150)
    #expect(try fields[1].string() == "testing")
    #expect(try fields[2].float() == 1)
    #expect(try fields[3].double() == -2)
    #expect(try fields[4].floats() == [1, 2])
  }
}
