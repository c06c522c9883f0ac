import NNDatasets

/// The bytes of an IDX file holding `values` as `type`, with the given dimensions (big-endian).
func idxBytes(_ type: IDXArray.ElementType, dimensions: [Int], values: [Double]) -> [UInt8] {
  var bytes: [UInt8] = [0, 0, type.rawValue, UInt8(dimensions.count)]
  func bigEndian<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
  }
  for size in dimensions { bigEndian(UInt32(size)) }
  for value in values {
    switch type {
    case .ubyte: bytes.append(UInt8(value))
    case .sbyte: bytes.append(UInt8(bitPattern: Int8(value)))
    case .short: bigEndian(Int16(value))
    case .int: bigEndian(Int32(value))
    case .float: bigEndian(Float(value).bitPattern)
    case .double: bigEndian(value.bitPattern)
    }
  }
  return bytes
}
