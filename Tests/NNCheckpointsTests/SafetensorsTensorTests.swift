import NNProtocols
import Testing

@testable import NNCheckpoints

@Suite struct SafetensorsTensorTests {
  /// Decodes the little-endian `bytes` of one element of `dtype`.
  func decode(_ bytes: [UInt8], _ dtype: SafetensorsDType) -> Double {
    SafetensorsTensor(dtype: dtype, shape: [], bytes: bytes).values()[0]
  }

  @Test func decodesHalfPrecisionIncludingSubnormalsAndSpecials() {
    // Half: sign | 5 exponent bits (bias 15) | 10 fraction bits.
    #expect(decode([0x00, 0x3C], .f16) == 1)  // 0x3C00: exponent 15 → 2⁰
    #expect(decode([0x00, 0xC0], .f16) == -2)  // 0xC000
    #expect(decode([0x55, 0x35], .f16) == 0x1.554p-2)  // 0x3555 ≈ 1/3
    #expect(decode([0xFF, 0x7B], .f16) == 65504)  // largest finite half
    #expect(decode([0x01, 0x00], .f16) == 0x1p-24)  // smallest subnormal
    #expect(decode([0x00, 0x7C], .f16) == .infinity)
    #expect(decode([0x00, 0xFC], .f16) == -.infinity)
    #expect(decode([0x01, 0x7E], .f16).isNaN)
    #expect(decode([0x00, 0x80], .f16).sign == .minus)  // −0
  }

  @Test func decodesBFloat16AndTheEightBitFloats() {
    #expect(decode([0x80, 0x3F], .bf16) == 1)  // the top half of Float 1.0 (0x3F800000)
    #expect(decode([0x49, 0xC0], .bf16) == -3.140625)
    #expect(decode([0x3C], .f8e5m2) == 1)  // the top byte of half 0x3C00
    #expect(decode([0x7C], .f8e5m2) == .infinity)
    #expect(decode([0x38], .f8e4m3) == 1)  // 0 0111 000: 2^(7−7)
    #expect(decode([0xC4], .f8e4m3) == -3)  // 1 1000 100: −2¹ · 1.5
    #expect(decode([0x7E], .f8e4m3) == 448)  // largest finite E4M3FN
    #expect(decode([0x01], .f8e4m3) == 0x1p-9)  // smallest subnormal
    #expect(decode([0x7F], .f8e4m3).isNaN)
  }

  @Test func decodesIntegersAndBooleans() {
    #expect(decode([0xFF], .i8) == -1)
    #expect(decode([0xFF], .u8) == 255)
    #expect(decode([0x00, 0x80], .i16) == -32768)
    #expect(decode([0xFF, 0xFF], .u16) == 65535)
    #expect(decode([0xFE, 0xFF, 0xFF, 0xFF], .i32) == -2)
    #expect(decode([0x00, 0x00, 0x00, 0x80], .u32) == 2_147_483_648)
    #expect(decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .i64) == -1)
    #expect(decode([0, 0, 0, 0, 0, 0, 0x10, 0], .u64) == 0x1p52)
    #expect(decode([0x00], .bool) == 0)
    #expect(decode([0x01], .bool) == 1)
  }

  @Test func encodesF32AndF64LittleEndian() {
    let f32 = SafetensorsTensor(shape: [2], values: [1, -2.5], dtype: .f32)
    #expect(f32.bytes == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0])
    let f64 = SafetensorsTensor(shape: [1], values: [1], dtype: .f64)
    #expect(f64.bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    #expect(f32.values() == [1, -2.5])
    #expect(f32.elementCount == 2)
  }

  @Test func storesAMatrixInItsOwnPrecisionBitForBit() {
    let floats = Matrix<Float>([[0.1, -0.0], [.leastNonzeroMagnitude, .greatestFiniteMagnitude]])
    let tensor = SafetensorsTensor(floats)
    #expect(tensor.dtype == .f32)
    #expect(tensor.shape == [2, 2])
    let back = tensor.matrix(rows: 2, cols: 2, as: Float.self)
    #expect(back?.scalars.map(\.bitPattern) == floats.scalars.map(\.bitPattern))

    let doubles = Matrix<Double>(rows: 1, cols: 3, scalars: [0.1, 0x1p-1030, -7])
    let stored = SafetensorsTensor(doubles, shape: [3])
    #expect(stored.dtype == .f64)
    #expect(stored.shape == [3])
    #expect(stored.matrix(rows: 1, cols: 3, as: Double.self)?.scalars == [0.1, 0x1p-1030, -7])
    #expect(stored.matrix(rows: 3, cols: 2, as: Double.self) == nil)
  }

  @Test func byteCountRefusesNegativeDimensionsAndOverflow() {
    #expect(SafetensorsTensor.byteCount(shape: [20, 1], dtype: .f32) == 80)
    #expect(SafetensorsTensor.byteCount(shape: [], dtype: .f64) == 8)
    #expect(SafetensorsTensor.byteCount(shape: [0, 5], dtype: .f64) == 0)
    #expect(SafetensorsTensor.byteCount(shape: [-1], dtype: .u8) == nil)
    #expect(SafetensorsTensor.byteCount(shape: [4_294_967_296, 4_294_967_296], dtype: .u8) == nil)
    #expect(SafetensorsTensor.byteCount(shape: [1 << 62], dtype: .f32) == nil)
  }

  @Test func dtypeSizesAndKinds() {
    #expect(SafetensorsDType.allCases.count == 15)
    #expect(SafetensorsDType.of(Float.self) == .f32)
    #expect(SafetensorsDType.of(Double.self) == .f64)
    #expect(
      SafetensorsDType.allCases.filter(\.isFloatingPoint).map(\.rawValue) == [
        "F64", "F32", "F16", "BF16", "F8_E5M2", "F8_E4M3",
      ])
    #expect(SafetensorsDType.bf16.byteCount == 2 && SafetensorsDType.u64.byteCount == 8)
  }
}
