import NNProtocols

/// The element types of the safetensors format, by their names in the header.
///
/// nnpipe writes `F32` and `F64`; it reads every type below and decodes each to `Double` (integers
/// beyond 2⁵³ lose precision; the 8-bit floats are the `E4M3FN` and `E5M2` types of PyTorch).
public enum SafetensorsDType: String, CaseIterable, Sendable {
  case f64 = "F64"
  case f32 = "F32"
  case f16 = "F16"
  case bf16 = "BF16"
  case f8e5m2 = "F8_E5M2"
  case f8e4m3 = "F8_E4M3"
  case i64 = "I64"
  case i32 = "I32"
  case i16 = "I16"
  case i8 = "I8"
  case u64 = "U64"
  case u32 = "U32"
  case u16 = "U16"
  case u8 = "U8"
  case bool = "BOOL"

  /// Bytes per element.
  public var byteCount: Int {
    switch self {
    case .f64, .i64, .u64: 8
    case .f32, .i32, .u32: 4
    case .f16, .bf16, .i16, .u16: 2
    case .f8e5m2, .f8e4m3, .i8, .u8, .bool: 1
    }
  }

  /// Whether elements are floating-point numbers (a network parameter must be).
  public var isFloatingPoint: Bool {
    switch self {
    case .f64, .f32, .f16, .bf16, .f8e5m2, .f8e4m3: true
    default: false
    }
  }

  /// The dtype nnpipe writes for scalars of type `S`: `F32` for `Float`, `F64` for `Double`.
  public static func of<S: NNScalar>(_ type: S.Type) -> SafetensorsDType {
    S.dtypeName == "F32" ? .f32 : .f64
  }
}

/// One tensor of a safetensors file: its element type, its shape and its raw little-endian bytes.
///
/// The bytes are kept as read, so a checkpoint round trip is bit-exact; `values()` decodes them.
public struct SafetensorsTensor: Sendable, Equatable {
  /// The element type.
  public let dtype: SafetensorsDType
  /// The dimensions, outermost first (`[outputs, inputs]` for a weight, `[outputs]` for a bias).
  public let shape: [Int]
  /// The elements in row-major order, each `dtype.byteCount` little-endian bytes.
  public let bytes: [UInt8]

  /// A tensor from raw bytes.
  ///
  /// - Precondition: every dimension is non-negative and `bytes.count` is the product of `shape`
  ///   times `dtype.byteCount` (checked reading a file; here a mismatch is a programmer error).
  public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
    let size = SafetensorsTensor.byteCount(shape: shape, dtype: dtype)
    precondition(
      size == bytes.count,
      "SafetensorsTensor: shape \(shape) of \(dtype.rawValue) needs \(size.map(String.init) ?? "too many") bytes, got \(bytes.count)"
    )
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// A tensor holding `values` encoded as `dtype`, which must be `.f32` or `.f64` (the types nnpipe
  /// writes; `F32` rounds each value to the nearest `Float`).
  public init(shape: [Int], values: [Double], dtype: SafetensorsDType = .f64) {
    precondition(dtype == .f32 || dtype == .f64, "SafetensorsTensor: nnpipe writes F32 or F64 only")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * dtype.byteCount)
    for value in values {
      if dtype == .f32 {
        SafetensorsTensor.appendLittleEndian(
          UInt64(Float(value).bitPattern), byteCount: 4, to: &bytes)
      } else {
        SafetensorsTensor.appendLittleEndian(value.bitPattern, byteCount: 8, to: &bytes)
      }
    }
    self.init(dtype: dtype, shape: shape, bytes: bytes)
  }

  /// A tensor holding the elements of `matrix` in its own precision (`F32` for `Float`, `F64` for
  /// `Double`), bit for bit.
  ///
  /// - Parameter shape: the shape to record; default `[rows, cols]`. It must have the same number of
  ///   elements (a bias `[1, n]` is stored as `[n]`).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public init<S: NNScalar>(_ matrix: Matrix<S>, shape: [Int]? = nil) {
    let dtype = SafetensorsDType.of(S.self)
    let recordedShape = shape ?? matrix.shape
    precondition(
      recordedShape.reduce(1, *) == matrix.count,
      "SafetensorsTensor: shape \(recordedShape) does not hold the \(matrix.count) elements of \(matrix.shape)"
    )
    var bytes: [UInt8] = []
    bytes.reserveCapacity(matrix.count * dtype.byteCount)
    for i in 0..<matrix.count {
      // S is Float or Double: converting to Double is exact, and back to Float for F32 is exact too.
      let value = Double(matrix.base[i])
      if dtype == .f32 {
        SafetensorsTensor.appendLittleEndian(
          UInt64(Float(value).bitPattern), byteCount: 4, to: &bytes)
      } else {
        SafetensorsTensor.appendLittleEndian(value.bitPattern, byteCount: 8, to: &bytes)
      }
    }
    self.init(dtype: dtype, shape: recordedShape, bytes: bytes)
  }

  /// The number of elements: the product of the dimensions (1 for a scalar of shape `[]`).
  public var elementCount: Int { bytes.count / dtype.byteCount }

  /// The elements decoded to `Double`, in row-major order.
  public func values() -> [Double] {
    let size = dtype.byteCount
    var result = [Double](repeating: 0, count: elementCount)
    bytes.withUnsafeBytes { raw in
      switch dtype {
      // The two types nnpipe writes, read a whole word at a time.
      case .f32:
        for i in 0..<result.count {
          let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
          result[i] = Double(Float(bitPattern: bits))
        }
      case .f64:
        for i in 0..<result.count {
          let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
          result[i] = Double(bitPattern: bits)
        }
      default:
        for i in 0..<result.count {
          result[i] = SafetensorsTensor.decode(raw, at: i * size, as: dtype)
        }
      }
    }
    return result
  }

  /// The elements as a `[rows, cols]` matrix of `S`, or `nil` if the element counts differ.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func matrix<S: NNScalar>(rows: Int, cols: Int, as type: S.Type = S.self) -> Matrix<S>? {
    guard rows >= 0, cols >= 0,
      rows.multipliedReportingOverflow(by: cols).partialValue
        == elementCount, !rows.multipliedReportingOverflow(by: cols).overflow
    else { return nil }
    return SafetensorsTensor.matrix(rows: rows, cols: cols, values: values())
  }

  /// A `[rows, cols]` matrix of `S` holding `values` (rows × cols of them).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  package static func matrix<S: NNScalar>(rows: Int, cols: Int, values: [Double]) -> Matrix<S> {
    precondition(values.count == rows * cols, "SafetensorsTensor.matrix: element count mismatch")
    let result = Matrix<S>(rows: rows, cols: cols)
    for i in 0..<values.count { result.base[i] = S(values[i]) }
    return result
  }

  /// The size in bytes of a tensor of `shape` and `dtype`, or `nil` if a dimension is negative or
  /// the product overflows `Int`: `bytes = d₀ · d₁ · … · dₙ₋₁ · size(dtype)`.
  public static func byteCount(shape: [Int], dtype: SafetensorsDType) -> Int? {
    var total = dtype.byteCount
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return nil }
      total = product
    }
    return total
  }

  static func appendLittleEndian(_ value: UInt64, byteCount: Int, to bytes: inout [UInt8]) {
    for k in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
  }

  /// The `byteCount`-byte little-endian unsigned integer at `offset`.
  static func loadLittleEndian(_ raw: UnsafeRawBufferPointer, at offset: Int, byteCount: Int)
    -> UInt64
  {
    var value: UInt64 = 0
    for k in 0..<byteCount { value |= UInt64(raw[offset + k]) << (8 * k) }
    return value
  }

  /// Decodes the element at byte `offset` of `raw` as `dtype`.
  static func decode(_ raw: UnsafeRawBufferPointer, at offset: Int, as dtype: SafetensorsDType)
    -> Double
  {
    let bits = loadLittleEndian(raw, at: offset, byteCount: dtype.byteCount)
    switch dtype {
    case .f64: return Double(bitPattern: bits)
    case .f32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
    case .f16: return halfToDouble(UInt16(truncatingIfNeeded: bits))
    case .bf16:
      // bfloat16 is the upper half of a Float: same sign and exponent, 7 fraction bits.
      return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits) << 16))
    case .f8e5m2:
      // E5M2 is the upper byte of an IEEE half.
      return halfToDouble(UInt16(truncatingIfNeeded: bits) << 8)
    case .f8e4m3: return e4m3ToDouble(UInt8(truncatingIfNeeded: bits))
    case .i64: return Double(Int64(bitPattern: bits))
    case .i32: return Double(Int32(truncatingIfNeeded: bits))
    case .i16: return Double(Int16(truncatingIfNeeded: bits))
    case .i8: return Double(Int8(truncatingIfNeeded: bits))
    case .u64, .u32, .u16, .u8: return Double(bits)
    case .bool: return bits == 0 ? 0 : 1
    }
  }

  /// An IEEE 754 half: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
  ///
  /// `value = (−1)^s · 2^(e−15) · (1 + f/1024)`; subnormal (`e = 0`): `(−1)^s · 2^−14 · f/1024`;
  /// `e = 31`: infinity (`f = 0`) or NaN.
  static func halfToDouble(_ half: UInt16) -> Double {
    let sign: FloatingPointSign = half >> 15 == 0 ? .plus : .minus
    let exponent = Int(half >> 10 & 0x1F)
    let fraction = Double(half & 0x3FF)
    switch exponent {
    case 0: return Double(sign: sign, exponent: -24, significand: fraction)
    case 31: return fraction == 0 ? (sign == .plus ? .infinity : -.infinity) : .nan
    default: return Double(sign: sign, exponent: exponent - 15, significand: 1 + fraction / 1024)
    }
  }

  /// An 8-bit float E4M3FN: 1 sign bit, 4 exponent bits (bias 7), 3 fraction bits, no infinities;
  /// all-ones exponent and fraction is NaN.
  static func e4m3ToDouble(_ byte: UInt8) -> Double {
    let sign: FloatingPointSign = byte >> 7 == 0 ? .plus : .minus
    let exponent = Int(byte >> 3 & 0x0F)
    let fraction = Double(byte & 0x07)
    if exponent == 15 && byte & 0x07 == 7 { return .nan }
    if exponent == 0 { return Double(sign: sign, exponent: -9, significand: fraction) }
    return Double(sign: sign, exponent: exponent - 7, significand: 1 + fraction / 8)
  }
}
