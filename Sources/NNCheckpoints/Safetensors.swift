import NNProtocols

/// A safetensors file: named tensors and string metadata, as PyTorch, NumPy and nnpipe exchange them.
///
/// The format:
/// ```
/// [8 bytes]  N, the header length, a little-endian UInt64
/// [N bytes]  the header: a UTF-8 JSON object, padded with spaces
///            {"__metadata__": {"key": "value", …},
///             "layers.0.weight": {"dtype": "F32", "shape": [20, 1], "data_offsets": [0, 80]}, …}
/// [rest]     the data buffer; each tensor's bytes are data[begin..<end], little-endian, row-major
/// ```
///
/// Reading checks everything before trusting it (a checkpoint is outside input): the header length
/// against the file and a 100 MB limit, UTF-8, JSON syntax, each entry's fields and their types, the
/// dtype, that `product(shape) · size(dtype) = end − begin` without overflow, that the offsets lie in
/// the data buffer, and that no two tensors overlap. Each failure is an `InputError` naming the file,
/// the tensor or key, and what was expected.
///
/// Writing puts the tensors in order of element size then name, pads the header so the data starts
/// at a multiple of 8 bytes (every tensor is then aligned to its element size), and replaces the file
/// atomically (`AtomicFile`). The result loads with Python's `safetensors` package.
public struct SafetensorsFile: Sendable, Equatable {
  /// The largest header accepted, in bytes (the limit of the reference implementation).
  public static let maximumHeaderLength = 100_000_000
  /// The header key that holds the metadata.
  public static let metadataKey = "__metadata__"

  /// The tensors by name.
  public var tensors: [String: SafetensorsTensor]
  /// The `__metadata__` strings.
  public var metadata: [String: String]

  /// A file with `tensors` and `metadata`.
  ///
  /// - Precondition: no tensor is named `__metadata__`.
  public init(tensors: [String: SafetensorsTensor] = [:], metadata: [String: String] = [:]) {
    precondition(
      tensors[Self.metadataKey] == nil, "a tensor cannot be named '\(Self.metadataKey)'")
    self.tensors = tensors
    self.metadata = metadata
  }

  /// Reads and checks the safetensors file at `path`.
  ///
  /// - Throws: `InputError` naming `path` and what is wrong.
  public init(contentsOf path: String) throws {
    try self.init(bytes: try AtomicFile.readBytes(path), file: path)
  }

  /// Reads and checks a safetensors file held in `bytes`.
  ///
  /// - Parameter file: the name to put in error messages.
  /// - Throws: `InputError` naming `file` and what is wrong.
  public init(bytes: [UInt8], file: String) throws {
    let length = try SafetensorsHeader.headerLength(
      prefix: bytes.prefix(8), fileSize: bytes.count, file: file)
    let dataStart = 8 + length
    let header = try SafetensorsHeader(
      json: bytes[8..<dataStart], dataLength: bytes.count - dataStart, file: file)
    var tensors: [String: SafetensorsTensor] = [:]
    for entry in header.entries {
      tensors[entry.name] = SafetensorsTensor(
        dtype: entry.dtype, shape: entry.shape,
        bytes: Array(bytes[dataStart + entry.begin..<dataStart + entry.end]))
    }
    self.tensors = tensors
    self.metadata = header.metadata
  }

  /// The metadata of the safetensors file at `path`, reading and checking only its header (the
  /// offsets are checked against the file's size; the data is not read).
  ///
  /// - Throws: `InputError` naming `path` and what is wrong.
  public static func metadata(atPath path: String) throws -> [String: String] {
    try AtomicFile.withFile(path) { descriptor in
      let fileSize = try AtomicFile.size(of: descriptor, path: path)
      let prefix = try AtomicFile.readUpTo(descriptor, count: 8, path: path)
      let length = try SafetensorsHeader.headerLength(
        prefix: prefix, fileSize: fileSize, file: path)
      let json = try AtomicFile.readUpTo(descriptor, count: length, path: path)
      guard json.count == length else {
        throw InputError(file: path, "the file changed while it was being read")
      }
      return try SafetensorsHeader(json: json[...], dataLength: fileSize - 8 - length, file: path)
        .metadata
    }
  }

  /// The tensor names in the order they are written: larger elements first (so every tensor starts
  /// at a multiple of its element size), then by name.
  public var orderedNames: [String] {
    tensors.keys.sorted { a, b in
      let (sizeA, sizeB) = (tensors[a]!.dtype.byteCount, tensors[b]!.dtype.byteCount)
      return sizeA != sizeB ? sizeA > sizeB : a < b
    }
  }

  /// The file's bytes: length, header (padded with spaces to a multiple of 8), data.
  public func serialized() -> [UInt8] {
    precondition(
      tensors[Self.metadataKey] == nil, "a tensor cannot be named '\(Self.metadataKey)'")
    var members: [JSONMember] = []
    if !metadata.isEmpty {
      let strings = metadata.keys.sorted().map {
        JSONMember(key: $0, value: .string(metadata[$0]!))
      }
      members.append(JSONMember(key: Self.metadataKey, value: .object(strings)))
    }
    var offset = 0
    let names = orderedNames
    for name in names {
      let tensor = tensors[name]!
      let end = offset + tensor.bytes.count
      let entry: JSONValue = .object([
        JSONMember(key: "dtype", value: .string(tensor.dtype.rawValue)),
        JSONMember(key: "shape", value: .array(tensor.shape.map { .number(String($0)) })),
        JSONMember(
          key: "data_offsets", value: .array([.number(String(offset)), .number(String(end))])),
      ])
      members.append(JSONMember(key: name, value: entry))
      offset = end
    }
    var header = Array(JSONValue.object(members).text.utf8)
    while (8 + header.count) % 8 != 0 { header.append(UInt8(ascii: " ")) }

    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    SafetensorsTensor.appendLittleEndian(UInt64(header.count), byteCount: 8, to: &bytes)
    bytes += header
    for name in names { bytes += tensors[name]!.bytes }
    return bytes
  }

  /// Writes the file to `path`, replacing any file there atomically.
  ///
  /// - Throws: `AtomicFile.WriteError`; the old file is then untouched.
  public func write(to path: String) throws {
    try AtomicFile.write(serialized(), to: path)
  }
}

/// The checked contents of a safetensors header.
struct SafetensorsHeader {
  /// One tensor's entry: where its bytes lie in the data buffer.
  struct Entry {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    var begin: Int
    var end: Int
  }

  /// The tensors, in the order the header lists them.
  var entries: [Entry] = []
  /// The `__metadata__` strings.
  var metadata: [String: String] = [:]

  /// The header length N from the first 8 bytes of a file of `fileSize` bytes, checked against the
  /// file's size and `SafetensorsFile.maximumHeaderLength`.
  static func headerLength(prefix: some Collection<UInt8>, fileSize: Int, file: String) throws
    -> Int
  {
    guard fileSize >= 8, prefix.count >= 8 else {
      throw InputError(
        file: file,
        "the file is \(fileSize) bytes long, too short for safetensors (it starts with an 8-byte header length)",
        hint: "the file is truncated, or it is not a safetensors file")
    }
    var length: UInt64 = 0
    for (k, byte) in prefix.prefix(8).enumerated() { length |= UInt64(byte) << (8 * UInt64(k)) }
    guard length <= UInt64(SafetensorsFile.maximumHeaderLength) else {
      throw InputError(
        file: file,
        "header length \(length) is larger than the \(SafetensorsFile.maximumHeaderLength)-byte limit",
        hint: "the file is damaged, or it is not a safetensors file")
    }
    guard length <= UInt64(fileSize - 8) else {
      throw InputError(
        file: file,
        "header length \(length) is larger than the \(fileSize - 8) bytes that follow it",
        hint: "the file is truncated, or it is not a safetensors file")
    }
    return Int(length)
  }

  /// Parses and checks the header `json` of a file whose data buffer is `dataLength` bytes.
  init(json: ArraySlice<UInt8>, dataLength: Int, file: String) throws {
    func error(_ message: String, hint: String? = nil) -> InputError {
      InputError(file: file, message, hint: hint)
    }
    if let offset = Self.firstInvalidUTF8(json) {
      throw error("the header is not valid UTF-8 (at byte \(8 + offset) of the file)")
    }
    let root: JSONValue
    do {
      root = try JSONValue.parse(json)
    } catch {
      throw InputError(
        file: file,
        "the header is not valid JSON: \(error.message) (at byte \(8 + error.offset) of the file)")
    }
    guard let members = root.members else {
      throw error("the header must be a JSON object, found \(root.kindDescription)")
    }

    for member in members {
      if member.key == SafetensorsFile.metadataKey {
        metadata = try Self.metadata(member.value, file: file)
      } else {
        entries.append(try Self.entry(member, dataLength: dataLength, file: file))
      }
    }

    // No two tensors may share bytes: sorted by start, each must begin at or after the previous end.
    // Empty tensors occupy no bytes and cannot overlap anything.
    let occupied = entries.filter { $0.end > $0.begin }.sorted {
      ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name)
    }
    for (previous, next) in zip(occupied, occupied.dropFirst()) where next.begin < previous.end {
      throw error(
        "tensors '\(previous.name)' (data_offsets [\(previous.begin), \(previous.end)]) and "
          + "'\(next.name)' (data_offsets [\(next.begin), \(next.end)]) overlap in the data buffer")
    }
  }

  /// The `__metadata__` object: every value must be a string.
  static func metadata(_ value: JSONValue, file: String) throws -> [String: String] {
    guard let members = value.members else {
      throw InputError(
        file: file,
        "'\(SafetensorsFile.metadataKey)' must be an object of strings, found \(value.kindDescription)"
      )
    }
    var result: [String: String] = [:]
    for member in members {
      guard let text = member.value.string else {
        throw InputError(
          file: file,
          "metadata key '\(member.key)' must have a string value, found \(member.value.kindDescription)"
        )
      }
      result[member.key] = text
    }
    return result
  }

  /// One tensor entry, checked: `{"dtype": …, "shape": […], "data_offsets": [begin, end]}`.
  static func entry(_ member: JSONMember, dataLength: Int, file: String) throws -> Entry {
    let name = member.key
    func error(_ message: String, hint: String? = nil) -> InputError {
      InputError(file: file, "tensor '\(name)': " + message, hint: hint)
    }
    let fieldNames = ["dtype", "shape", "data_offsets"]
    guard let fields = member.value.members else {
      throw error(
        "expected an object with dtype, shape and data_offsets, found \(member.value.kindDescription)"
      )
    }
    for field in fields where !fieldNames.contains(field.key) {
      throw error("unknown key '\(field.key)'; expected dtype, shape and data_offsets")
    }
    func field(_ key: String) throws -> JSONValue {
      guard let value = fields.first(where: { $0.key == key })?.value else {
        throw error("missing '\(key)'")
      }
      return value
    }

    // dtype: one of the known names.
    let dtypeValue = try field("dtype")
    guard let dtypeName = dtypeValue.string else {
      throw error("'dtype' must be a string, found \(dtypeValue.kindDescription)")
    }
    guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
      let known = SafetensorsDType.allCases.map(\.rawValue)
      let suggestion = closestName(to: dtypeName, in: known).map { "; did you mean '\($0)'?" }
      throw error(
        "unknown dtype '\(dtypeName)'"
          + (suggestion ?? "; expected one of \(known.joined(separator: ", "))"))
    }

    // shape: an array of non-negative integers.
    let shapeValue = try field("shape")
    guard let dimensionValues = shapeValue.elements else {
      throw error("'shape' must be an array of integers, found \(shapeValue.kindDescription)")
    }
    var shape: [Int] = []
    for (axis, value) in dimensionValues.enumerated() {
      switch value.nonNegativeInteger {
      case .success(let dimension): shape.append(dimension)
      case .failure(let problem):
        throw error("shape[\(axis)] must be a non-negative integer, \(problem)")
      }
    }
    let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
    // bytes = d₀ · d₁ · … · size(dtype), refused if it overflows.
    guard let byteCount = SafetensorsTensor.byteCount(shape: shape, dtype: dtype) else {
      throw error(
        "shape \(shapeText) of \(dtype.rawValue) has more bytes than a 64-bit size can count")
    }

    // data_offsets: [begin, end] inside the data buffer, begin ≤ end.
    let offsetsValue = try field("data_offsets")
    guard let offsetValues = offsetsValue.elements, offsetValues.count == 2 else {
      throw error(
        "'data_offsets' must be an array of two integers [begin, end], found "
          + offsetsValue.kindDescription
          + (offsetsValue.elements.map { " of length \($0.count)" } ?? ""))
    }
    var offsets: [Int] = []
    for (position, value) in zip(["begin", "end"], offsetValues) {
      switch value.nonNegativeInteger {
      case .success(let offset): offsets.append(offset)
      case .failure(let problem):
        throw error("data_offsets \(position) must be a non-negative integer, \(problem)")
      }
    }
    let (begin, end) = (offsets[0], offsets[1])
    guard begin <= end else {
      throw error("data_offsets [\(begin), \(end)] end before they begin")
    }
    guard end - begin == byteCount else {
      throw error(
        "shape \(shapeText) needs \(byteCount) bytes of \(dtype.rawValue), data_offsets give \(end - begin)"
      )
    }
    guard end <= dataLength else {
      throw error(
        "data_offsets [\(begin), \(end)] reach past the end of the data buffer (\(dataLength) bytes)",
        hint: "the file is truncated or damaged")
    }
    return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
  }

  /// The offset of the first byte that is not part of valid UTF-8, or `nil` if all of it is.
  static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar): offset += UTF8.width(scalar)
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }
}
