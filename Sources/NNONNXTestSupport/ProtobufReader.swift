import NNONNX

/// Malformed protocol-buffers bytes: what was wrong and at which byte offset (0-based, from the start of
/// the outermost message).
public struct ProtobufDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The byte offset where decoding failed.
  public var offset: Int
  /// What is wrong, e.g. `"truncated varint"`.
  public var message: String

  public init(offset: Int, _ message: String) {
    self.offset = offset
    self.message = message
  }

  public var description: String { "\(message) at byte \(offset)" }
}

/// One decoded field: its number and its raw value.
///
/// The wire format does not say which protobuf type a value has (a varint may be an `int64`, a `bool` or an
/// `enum`; length-delimited bytes may be a string, a message or a packed list): the accessors interpret it
/// the way the schema says.
public struct ProtobufField: Sendable, Equatable {
  /// A field's raw value, by wire type.
  public enum Value: Sendable, Equatable {
    /// A varint's 64 bits.
    case varint(UInt64)
    /// Eight bytes as a little-endian integer.
    case fixed64(UInt64)
    /// Four bytes as a little-endian integer.
    case fixed32(UInt32)
    /// Length-delimited bytes (a view into the decoded buffer, keeping its absolute indices).
    case bytes(ArraySlice<UInt8>)
  }

  /// The field number from the tag.
  public var number: Int
  /// The value.
  public var value: Value
  /// The byte offset of the field's tag.
  public var offset: Int

  public init(number: Int, value: Value, offset: Int) {
    self.number = number
    self.value = value
    self.offset = offset
  }

  private func mismatch(_ expected: String) -> ProtobufDecodingError {
    ProtobufDecodingError(offset: offset, "field \(number) is not \(expected)")
  }

  /// The value as a signed `int64` (or `int32`/`enum`, which are sign-extended to 64 bits).
  public func int64() throws -> Int64 {
    guard case .varint(let raw) = value else { throw mismatch("a varint") }
    return Int64(bitPattern: raw)
  }

  /// The value as a `float`.
  public func float() throws -> Float {
    guard case .fixed32(let raw) = value else { throw mismatch("a 32-bit float") }
    return Float(bitPattern: raw)
  }

  /// The value as a `double`.
  public func double() throws -> Double {
    guard case .fixed64(let raw) = value else { throw mismatch("a 64-bit double") }
    return Double(bitPattern: raw)
  }

  /// The value as length-delimited bytes (a `bytes` field or a nested message).
  public func bytes() throws -> ArraySlice<UInt8> {
    guard case .bytes(let raw) = value else { throw mismatch("length-delimited") }
    return raw
  }

  /// The value as a UTF-8 `string`.
  public func string() throws -> String {
    let raw = try bytes()
    guard let text = String(validating: raw, as: UTF8.self) else {
      throw ProtobufDecodingError(offset: offset, "field \(number) is not valid UTF-8")
    }
    return text
  }

  /// The elements of a repeated `int64` field contributed by this occurrence: one value if written
  /// unpacked, all of them if packed (parsers must accept both encodings).
  public func int64s() throws -> [Int64] {
    switch value {
    case .varint(let raw): return [Int64(bitPattern: raw)]
    case .bytes(let packed):
      var reader = ProtobufReader(packed)
      var values: [Int64] = []
      while !reader.isAtEnd { values.append(Int64(bitPattern: try reader.readVarint())) }
      return values
    default: throw mismatch("a varint or packed varints")
    }
  }

  /// The elements of a repeated `float` field contributed by this occurrence (unpacked or packed).
  public func floats() throws -> [Float] {
    switch value {
    case .fixed32(let raw): return [Float(bitPattern: raw)]
    case .bytes(let packed):
      return try unpacked(packed, "floats", as: UInt32.self) { Float(bitPattern: $0) }
    default: throw mismatch("a float or packed floats")
    }
  }

  /// The elements of a repeated `double` field contributed by this occurrence (unpacked or packed).
  public func doubles() throws -> [Double] {
    switch value {
    case .fixed64(let raw): return [Double(bitPattern: raw)]
    case .bytes(let packed):
      return try unpacked(packed, "doubles", as: UInt64.self) { Double(bitPattern: $0) }
    default: throw mismatch("a double or packed doubles")
    }
  }

  /// The little-endian `Word`s one after another in `packed`, each turned into an element: the
  /// packed form of a repeated `float` (`UInt32`) or `double` (`UInt64`) field.
  private func unpacked<Word: FixedWidthInteger & UnsignedInteger, Element>(
    _ packed: ArraySlice<UInt8>, _ elements: String, as word: Word.Type,
    _ element: (Word) -> Element
  ) throws -> [Element] {
    let size = MemoryLayout<Word>.size
    guard packed.count % size == 0 else {
      throw ProtobufDecodingError(
        offset: offset,
        "packed \(elements) in field \(number) take \(packed.count) bytes, not a multiple of \(size)"
      )
    }
    return packed.withUnsafeBytes { raw in
      (0..<raw.count / size).map { index in
        element(Word(littleEndian: raw.loadUnaligned(fromByteOffset: size * index, as: Word.self)))
      }
    }
  }
}

/// A minimal protocol-buffers wire-format reader: walks a message's fields in order.
///
/// Each field is `tag value` with `tag = fieldNumber << 3 | wireType` as a varint; the wire type says how
/// many bytes the value takes, so a reader can skip fields it does not know. A nested message is
/// length-delimited bytes, read with a new `ProtobufReader` over them:
/// ```swift
/// var reader = ProtobufReader(bytes)
/// while let field = try reader.nextField() {
///   if field.number == 7 { var graph = ProtobufReader(try field.bytes()); … }
/// }
/// ```
/// Every read checks bounds and throws `ProtobufDecodingError` (with the byte offset) on truncated or
/// malformed input; it never traps.
///
/// See Also: `ProtobufWriter`.
public struct ProtobufReader: Sendable {
  private let bytes: ArraySlice<UInt8>
  /// The index of the next byte to read (absolute, as in the outermost buffer).
  public private(set) var position: Int

  /// A reader over a whole buffer.
  public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

  /// A reader over a slice (e.g. a nested message); offsets in errors stay those of the whole buffer.
  public init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    position = bytes.startIndex
  }

  /// Whether every byte has been read.
  public var isAtEnd: Bool { position >= bytes.endIndex }

  /// Reads a base-128 varint (at most 10 bytes, at most 64 bits).
  public mutating func readVarint() throws -> UInt64 {
    let start = position
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < bytes.endIndex else {
        throw ProtobufDecodingError(offset: start, "truncated varint")
      }
      let byte = bytes[position]
      position += 1
      // The tenth byte holds bit 63 only.
      if shift == 63 && byte > 1 {
        throw ProtobufDecodingError(offset: start, "varint longer than 64 bits")
      }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
  }

  /// Reads four little-endian bytes.
  public mutating func readFixed32() throws -> UInt32 {
    let raw = try take(4, what: "32-bit value")
    return raw.reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// Reads eight little-endian bytes.
  public mutating func readFixed64() throws -> UInt64 {
    let raw = try take(8, what: "64-bit value")
    return raw.reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }

  private mutating func take(_ count: Int, what: String) throws -> ArraySlice<UInt8> {
    guard bytes.endIndex - position >= count else {
      throw ProtobufDecodingError(
        offset: position,
        "truncated \(what): needs \(count) bytes, \(bytes.endIndex - position) left")
    }
    defer { position += count }
    return bytes[position..<position + count]
  }

  /// Reads the next field, or returns `nil` at the end of the message.
  public mutating func nextField() throws -> ProtobufField? {
    guard !isAtEnd else { return nil }
    let start = position
    let tag = try readVarint()
    let number = tag >> 3
    guard number >= 1 && number < 1 << 29 else {
      throw ProtobufDecodingError(offset: start, "invalid field number \(number)")
    }
    let value: ProtobufField.Value
    switch tag & 7 {
    case UInt64(ProtobufWireType.varint.rawValue): value = .varint(try readVarint())
    case UInt64(ProtobufWireType.fixed64.rawValue): value = .fixed64(try readFixed64())
    case UInt64(ProtobufWireType.fixed32.rawValue): value = .fixed32(try readFixed32())
    case UInt64(ProtobufWireType.lengthDelimited.rawValue):
      let length = try readVarint()
      guard length <= UInt64(bytes.endIndex - position) else {
        throw ProtobufDecodingError(
          offset: start,
          "field \(number) claims \(length) bytes but only \(bytes.endIndex - position) remain")
      }
      value = .bytes(try take(Int(length), what: "field \(number)"))
    default:
      throw ProtobufDecodingError(
        offset: start, "unsupported wire type \(tag & 7) in field \(number)")
    }
    return ProtobufField(number: Int(number), value: value, offset: start)
  }

  /// Every remaining field, in order.
  public mutating func allFields() throws -> [ProtobufField] {
    var fields: [ProtobufField] = []
    while let field = try nextField() { fields.append(field) }
    return fields
  }
}
