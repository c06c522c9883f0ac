/// How a protocol-buffers field's value is laid out after its tag.
///
/// A tag is the varint `fieldNumber << 3 | wireType`. Only the four wire types still in use exist here
/// (the deprecated group markers 3 and 4 are rejected by `ProtobufReader`).
public enum ProtobufWireType: UInt8, Sendable {
  /// A base-128 varint: `int32`, `int64`, `uint64`, `bool`, `enum`.
  case varint = 0
  /// Eight little-endian bytes: `fixed64`, `double`.
  case fixed64 = 1
  /// A varint byte count, then that many bytes: `string`, `bytes`, messages, packed repeated scalars.
  case lengthDelimited = 2
  /// Four little-endian bytes: `fixed32`, `float`.
  case fixed32 = 5
}

/// A minimal protocol-buffers wire-format writer: appends fields to a byte buffer.
///
/// Written for nnpipe's ONNX export so the package needs no dependency. It covers what ONNX's
/// `onnx.proto` uses: varints (`int32`, `int64`, `enum`), `float`/`double` (fixed32/fixed64), strings,
/// nested messages and packed repeated `float`, `double` and `int64`.
///
/// A message is written field by field, each as `tag value`, with the tag
/// `fieldNumber << 3 | wireType` encoded as a varint. Nested messages are written into their own writer and
/// appended as length-delimited bytes:
/// ```swift
/// var shape = ProtobufWriter()
/// shape.writeInt64(field: 1, 3)
/// var outer = ProtobufWriter()
/// outer.writeMessage(field: 2, shape)
/// ```
///
/// See Also: `ProtobufReader`.
public struct ProtobufWriter: Sendable {
  /// The bytes written so far.
  public private(set) var bytes: [UInt8] = []

  /// An empty writer.
  public init() {}

  // MARK: Raw encodings

  /// Appends `value` as a base-128 varint: seven bits per byte, least significant group first, the high
  /// bit of each byte set when more bytes follow (`300` → `AC 02`). Takes 1 to 10 bytes.
  public mutating func appendVarint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  /// Appends a field's tag: the varint `fieldNumber << 3 | wireType`.
  public mutating func appendTag(field: Int, _ wireType: ProtobufWireType) {
    precondition(
      field >= 1 && field < 1 << 29, "protobuf field numbers lie in 1..<2^29, got \(field)")
    appendVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
  }

  /// Appends four bytes, least significant first.
  public mutating func appendFixed32(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> shift))
    }
  }

  /// Appends eight bytes, least significant first.
  public mutating func appendFixed64(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> shift))
    }
  }

  // MARK: Fields

  /// Writes a varint field holding the raw 64-bit `value` (`uint64`, `bool`).
  public mutating func writeVarint(field: Int, _ value: UInt64) {
    appendTag(field: field, .varint)
    appendVarint(value)
  }

  /// Writes an `int64` field. A negative value is its 64-bit two's complement, so it takes 10 bytes
  /// (protocol buffers' plain `int64`; zigzag `sint64` is not used by ONNX).
  public mutating func writeInt64(field: Int, _ value: Int64) {
    writeVarint(field: field, UInt64(bitPattern: value))
  }

  /// Writes an `int32` or `enum` field. As for `int64`, a negative value is sign-extended to 64 bits.
  public mutating func writeInt32(field: Int, _ value: Int32) {
    writeVarint(field: field, UInt64(bitPattern: Int64(value)))
  }

  /// Writes a `float` field: tag, then the IEEE-754 single's four bytes, little-endian.
  public mutating func writeFloat(field: Int, _ value: Float) {
    appendTag(field: field, .fixed32)
    appendFixed32(value.bitPattern)
  }

  /// Writes a `double` field: tag, then the IEEE-754 double's eight bytes, little-endian.
  public mutating func writeDouble(field: Int, _ value: Double) {
    appendTag(field: field, .fixed64)
    appendFixed64(value.bitPattern)
  }

  /// Writes a `bytes` field: tag, varint length, the bytes.
  public mutating func writeBytes(field: Int, _ value: [UInt8]) {
    appendTag(field: field, .lengthDelimited)
    appendVarint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// Writes a `string` field as its UTF-8 bytes.
  public mutating func writeString(field: Int, _ value: String) {
    writeBytes(field: field, Array(value.utf8))
  }

  /// Writes a nested message field: the other writer's bytes, length-delimited.
  public mutating func writeMessage(field: Int, _ message: ProtobufWriter) {
    writeBytes(field: field, message.bytes)
  }

  /// Writes a nested message built by `body` into a fresh writer.
  public mutating func writeMessage(field: Int, _ body: (inout ProtobufWriter) -> Void) {
    var message = ProtobufWriter()
    body(&message)
    writeMessage(field: field, message)
  }

  /// Writes a packed repeated `float` field: one length-delimited field holding every value's four bytes.
  /// Nothing is written for an empty list (an absent repeated field is an empty one).
  public mutating func writePackedFloats(field: Int, _ values: [Float]) {
    guard !values.isEmpty else { return }
    appendTag(field: field, .lengthDelimited)
    appendVarint(UInt64(values.count * 4))
    // The little-endian words' bytes, appended in one copy.
    let words = values.map { $0.bitPattern.littleEndian }
    words.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Writes a packed repeated `double` field: one length-delimited field of eight bytes per value.
  public mutating func writePackedDoubles(field: Int, _ values: [Double]) {
    guard !values.isEmpty else { return }
    appendTag(field: field, .lengthDelimited)
    appendVarint(UInt64(values.count * 8))
    let words = values.map { $0.bitPattern.littleEndian }
    words.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Writes a packed repeated `int64` field: one length-delimited field of concatenated varints.
  public mutating func writePackedInt64s(field: Int, _ values: [Int64]) {
    guard !values.isEmpty else { return }
    var payload = ProtobufWriter()
    for value in values { payload.appendVarint(UInt64(bitPattern: value)) }
    writeBytes(field: field, payload.bytes)
  }
}
