import Testing

@testable import NNONNX

@Suite struct ProtobufWriterTests {
  /// Varints by hand: 7 bits per byte, low group first, high bit = "more follows".
  /// - 0 → 00; 1 → 01; 127 → 7F (the largest one-byte value);
  /// - 128 = 1·2⁷ + 0 → 80 01;
  /// - 300 = 0b10_0101100 → low seven bits 0101100 = 0x2C with the high bit: AC, then 0b10 = 02;
  /// - 2⁶³: nine groups of seven zero bits (80 × 9), then bit 63 alone in the tenth byte: 01.
  @Test(
    arguments: [
      (0, [0x00]),
      (1, [0x01]),
      (127, [0x7F]),
      (128, [0x80, 0x01]),
      (300, [0xAC, 0x02]),
      (UInt64(1) << 63, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
      (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ] as [(UInt64, [UInt8])])
  func varint(value: UInt64, expected: [UInt8]) {
    var writer = ProtobufWriter()
    writer.appendVarint(value)
    #expect(writer.bytes == expected)
  }

  @Test func negativeInt64IsTenBytesOfTwosComplement() {
    var writer = ProtobufWriter()
    writer.writeInt64(field: 1, -1)
    // tag 08, then 2⁶⁴ − 1 as a varint.
    #expect(writer.bytes == [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    var int32 = ProtobufWriter()
    int32.writeInt32(field: 1, -1)
    #expect(int32.bytes == writer.bytes)  // int32 is sign-extended to 64 bits, as protobuf requires
  }

  @Test func tagsCombineFieldNumberAndWireType() {
    var writer = ProtobufWriter()
    writer.appendTag(field: 1, .varint)  // 1 << 3 | 0
    writer.appendTag(field: 2, .lengthDelimited)  // 2 << 3 | 2
    writer.appendTag(field: 16, .fixed32)  // 16 << 3 | 5 = 133 → 85 01
    writer.appendTag(field: 20, .fixed64)  // 20 << 3 | 1 = 161 → A1 01
    #expect(writer.bytes == [0x08, 0x12, 0x85, 0x01, 0xA1, 0x01])
  }

  @Test func fixedWidthValuesAreLittleEndian() {
    var writer = ProtobufWriter()
    writer.appendFixed32(0x0403_0201)
    writer.appendFixed64(0x0807_0605_0403_0201)
    #expect(writer.bytes == [1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8])
  }

  /// A small message written by hand, one field of each kind:
  /// ```
  /// 08 96 01                      field 1, varint 150 (150 = 0x16 + 1·128 → 96 01)
  /// 12 07 74 65 73 74 69 6E 67    field 2, length 7, "testing"
  /// 1D 00 00 80 3F                field 3, fixed32: Float 1.0 = 0x3F800000, little-endian
  /// 21 00 00 00 00 00 00 00 C0    field 4, fixed64: Double −2.0 = 0xC000000000000000
  /// 2A 08 00 00 80 3F 00 00 00 40 field 5, packed floats [1.0, 2.0] (8 bytes)
  /// 32 02 08 01                   field 6, a nested message holding field 1 = varint 1
  /// 3A 03 01 AC 02                field 7, packed int64s [1, 300]
  /// 41 00 00 00 00 00 00 F0 3F    field 8, fixed64 (8 << 3 | 1 = 0x41): Double 1.0 = 0x3FF0000000000000
  /// ```
  @Test func goldenMessage() {
    var writer = ProtobufWriter()
    writer.writeVarint(field: 1, 150)
    writer.writeString(field: 2, "testing")
    writer.writeFloat(field: 3, 1)
    writer.writeDouble(field: 4, -2)
    writer.writePackedFloats(field: 5, [1, 2])
    writer.writeMessage(field: 6) { $0.writeVarint(field: 1, 1) }
    writer.writePackedInt64s(field: 7, [1, 300])
    writer.writeDouble(field: 8, 1)
    let expected: [UInt8] = [
      0x08, 0x96, 0x01,
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67,
      0x1D, 0x00, 0x00, 0x80, 0x3F,
      0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0,
      0x2A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40,
      0x32, 0x02, 0x08, 0x01,
      0x3A, 0x03, 0x01, 0xAC, 0x02,
      0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
    ]
    #expect(writer.bytes == expected)
  }

  @Test func packedDoublesAndEmptyRepeatedFields() {
    var writer = ProtobufWriter()
    writer.writePackedDoubles(field: 10, [0.5])
    // tag 10 << 3 | 2 = 0x52, length 8, 0.5 = 0x3FE0000000000000.
    #expect(writer.bytes == [0x52, 0x08, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F])
    var empty = ProtobufWriter()
    empty.writePackedFloats(field: 4, [])
    empty.writePackedDoubles(field: 10, [])
    empty.writePackedInt64s(field: 7, [])
    #expect(empty.bytes.isEmpty)  // an absent repeated field is an empty one
  }

  @Test func lengthOfLongBytesIsAVarint() {
    var writer = ProtobufWriter()
    writer.writeBytes(field: 1, [UInt8](repeating: 7, count: 200))
    #expect(Array(writer.bytes.prefix(3)) == [0x0A, 0xC8, 0x01])  // 200 = 0x48 + 1·128
    #expect(writer.bytes.count == 3 + 200)
  }
}
