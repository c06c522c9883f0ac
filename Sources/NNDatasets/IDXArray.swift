import NNProtocols

/// One IDX file: the format of MNIST and Fashion-MNIST (Y. LeCun, C. Cortes, C. Burges).
///
/// Layout, every number big-endian:
/// ```
/// byte 0–1   0x00 0x00
/// byte 2     element type: 0x08 ubyte, 0x09 sbyte, 0x0B short (16-bit), 0x0C int (32-bit),
///            0x0D float (32-bit), 0x0E double (64-bit)
/// byte 3     the number of dimensions d
/// then       d sizes, 4-byte unsigned each
/// then       the elements, last dimension fastest
/// ```
/// The values are read into a matrix of `[size of the first dimension, product of the others]`: an
/// image file `[60000, 28, 28]` becomes 60 000 rows of 784 pixels.
public struct IDXArray {
  /// The element types the format defines.
  public enum ElementType: UInt8, Sendable, CaseIterable {
    case ubyte = 0x08
    case sbyte = 0x09
    case short = 0x0B
    case int = 0x0C
    case float = 0x0D
    case double = 0x0E

    /// Bytes per element.
    public var size: Int {
      switch self {
      case .ubyte, .sbyte: 1
      case .short: 2
      case .int, .float: 4
      case .double: 8
      }
    }
  }

  /// The element type found in the file.
  public var elementType: ElementType
  /// The sizes of the dimensions, e.g. `[60000, 28, 28]`.
  public var dimensions: [Int]
  /// The elements as `Double`: `[dimensions[0], product of the other dimensions]`.
  public var values: Matrix<Double>

  /// Reads the IDX file at `path` (already resolved); errors name it `displayName`.
  public static func read(path: String, displayName: String? = nil) throws -> IDXArray {
    let name = displayName ?? path
    return try parse(bytes: DataFile.read(path, displayName: name), file: name)
  }

  /// Parses IDX bytes; `file` names them in errors, which give byte offsets.
  ///
  /// - Throws: `InputError` for a wrong magic number, an unknown element type, a dimension of 0, a
  ///   truncated file, or bytes after the data.
  public static func parse(bytes: [UInt8], file: String) throws -> IDXArray {
    try DataFile.refuseGzip(bytes, file: file)
    guard bytes.count >= 4 else {
      throw InputError(
        file: file,
        "truncated IDX file: it has \(bytes.count) byte\(bytes.count == 1 ? "" : "s"); expected at"
          + " least the 4-byte magic number")
    }
    let magic = bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    let magicText = "0x" + String(magic, radix: 16, uppercase: true).leftPadded(to: 8)
    guard bytes[0] == 0, bytes[1] == 0, let type = ElementType(rawValue: bytes[2]), bytes[3] >= 1
    else {
      throw InputError(
        file: file,
        "wrong magic number \(magicText) at byte offset 0; expected 0x0000TTDD: two zero bytes,"
          + " the element type TT (08 ubyte, 09 sbyte, 0B short, 0C int, 0D float, 0E double) and"
          + " the number of dimensions DD ≥ 1",
        hint: "is this an IDX file (MNIST's format)?")
    }
    let rank = Int(bytes[3])
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw InputError(
        file: file,
        "truncated IDX file: its \(rank) dimension sizes need bytes 4…\(headerSize - 1), but the"
          + " file ends at byte offset \(bytes.count)")
    }
    var dimensions: [Int] = []
    var elements = 1
    for k in 0..<rank {
      let offset = 4 + 4 * k
      let size = Int(bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) })
      dimensions.append(size)
      guard size > 0 else {
        throw InputError(
          file: file,
          "dimension \(k + 1) of \(rank) (at byte offset \(offset)) is 0: the file holds no"
            + " \(k == 0 ? "samples" : "values per sample"); expected every dimension ≥ 1")
      }
      let (product, overflow) = elements.multipliedReportingOverflow(by: size)
      // At most 8 bytes an element, after the header: the file size below cannot overflow.
      guard !overflow, product <= (Int.max - headerSize) / 8 else {
        throw InputError(
          file: file,
          "the dimensions \(dimensions) at byte offset 4 describe more elements than can exist")
      }
      elements = product
    }
    let expectedSize = headerSize + elements * type.size
    guard bytes.count >= expectedSize else {
      throw InputError(
        file: file,
        "truncated IDX file: the header promises \(dimensions.map(String.init).joined(separator: "×"))"
          + " \(type) elements, \(expectedSize) bytes in all, but the file ends at byte offset"
          + " \(bytes.count) (\(expectedSize - bytes.count) bytes short)",
        hint: "download the file again; an interrupted download leaves it truncated")
    }
    guard bytes.count == expectedSize else {
      throw InputError(
        file: file,
        "\(bytes.count - expectedSize) unexpected bytes after the data, from byte offset"
          + " \(expectedSize); expected the file to end there, as its header says")
    }
    let rows = dimensions[0]
    let cols = rows == 0 ? 0 : elements / rows
    let values = Matrix<Double>(rows: rows, cols: rank == 1 ? 1 : cols)
    bytes.withUnsafeBufferPointer { buffer in
      convert(buffer.baseAddress! + headerSize, type, into: values.base, count: elements)
    }
    if type == .float || type == .double {
      for i in 0..<elements where !values.base[i].isFinite {
        throw InputError(
          file: file,
          "element \(i) (at byte offset \(headerSize + i * type.size)) is NaN or infinite;"
            + " expected a finite number")
      }
    }
    return IDXArray(elementType: type, dimensions: dimensions, values: values)
  }

  /// Converts `count` big-endian elements of `type` at `source` to `Double`.
  private static func convert(
    _ source: UnsafePointer<UInt8>, _ type: ElementType, into target: UnsafeMutablePointer<Double>,
    count: Int
  ) {
    /// The `width`-byte big-endian word at element `i`.
    func word(_ i: Int, _ width: Int) -> UInt64 {
      var value: UInt64 = 0
      for k in 0..<width { value = value << 8 | UInt64(source[i * width + k]) }
      return value
    }
    switch type {
    case .ubyte:
      for i in 0..<count { target[i] = Double(source[i]) }
    case .sbyte:
      for i in 0..<count { target[i] = Double(Int8(bitPattern: source[i])) }
    case .short:
      for i in 0..<count {
        target[i] = Double(
          Int16(bitPattern: UInt16(source[2 * i]) << 8 | UInt16(source[2 * i + 1])))
      }
    case .int:
      for i in 0..<count { target[i] = Double(Int32(bitPattern: UInt32(word(i, 4)))) }
    case .float:
      for i in 0..<count { target[i] = Double(Float(bitPattern: UInt32(word(i, 4)))) }
    case .double:
      for i in 0..<count { target[i] = Double(bitPattern: word(i, 8)) }
    }
  }
}

extension String {
  /// The string with zeros in front, to `width` characters.
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
