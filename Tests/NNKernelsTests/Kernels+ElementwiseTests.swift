import Foundation
import NNKernels
import NNProtocols
import Testing

/// One elementwise kernel under test: its name, the kernel in both precisions, a reference computed
/// with libm in `Double`, and the accuracy it must reach (in ulps of the output type).
struct ElementwiseFunction: Sendable, CustomStringConvertible {
  var name: String
  var single: @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  var double: @Sendable (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void
  var reference: @Sendable (Double) -> Double
  var maximumUlps: Double
  /// Inputs spanning the interesting range, the thresholds and subnormals, for `Float` and `Double`.
  var singleInputs: [Float]
  var doubleInputs: [Double]

  var description: String { name }

  func apply(_ x: [Float]) -> [Float] {
    var y = [Float](repeating: -1, count: x.count)
    x.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { y in single(x.baseAddress!, y.baseAddress!, x.count) }
    }
    return y
  }

  func apply(_ x: [Double]) -> [Double] {
    var y = [Double](repeating: -1, count: x.count)
    x.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { y in double(x.baseAddress!, y.baseAddress!, x.count) }
    }
    return y
  }
}

/// `count` evenly spaced values from `low` to `high`.
func sweep(_ low: Double, _ high: Double, count: Int) -> [Double] {
  (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
}

/// Values on both sides of each threshold `t` (a few ulps and a little further).
func around(_ thresholds: [Double]) -> [Double] {
  let relative: [Double] = [1, 1 + 1e-7, 1 - 1e-7]
  let offsets: [Double] = [0.01, -0.01, 0.5, -0.5]
  return thresholds.flatMap { (t: Double) -> [Double] in
    [t.nextUp, t.nextDown] + relative.map { t * $0 } + offsets.map { t + $0 }
  }
}

/// Subnormal, tiny and small inputs of both signs.
let tinyInputs: [Double] = [
  Double.leastNormalMagnitude / 4096, -Double.leastNormalMagnitude / 4096,
  Double.leastNonzeroMagnitude, 1e-40, -1e-40, 1.4e-45, 1e-30, -1e-30, 1e-8, -1e-8, 1e-4, -1e-4,
  0.01,
  -0.01,
]

/// The reference sigmoid in `Double`, in the form that keeps small results accurate.
@Sendable func referenceSigmoid(_ x: Double) -> Double {
  x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
}

let elementwiseFunctions: [ElementwiseFunction] = [
  ElementwiseFunction(
    name: "exp", single: { Kernels.exp($0, $1, count: $2) },
    double: { Kernels.exp($0, $1, count: $2) }, reference: { Foundation.exp($0) }, maximumUlps: 2,
    // Float: overflow above 88.72, subnormal results below −87.34, zero below −103.97.
    singleInputs: (sweep(-110, 95, count: 40_001) + around([88.7228, -87.3365, -103.279, -103.972])
      + tinyInputs).map { Float($0) },
    // Double: overflow above 709.78, subnormal results below −708.40, zero below −745.13.
    doubleInputs: sweep(-760, 720, count: 40_001) + sweep(-5, 5, count: 10_001)
      + around([709.782712893384, -708.396418532264, -744.44007192138, -745.133219101941])
      + tinyInputs),
  ElementwiseFunction(
    name: "sigmoid", single: { Kernels.sigmoid($0, $1, count: $2) },
    double: { Kernels.sigmoid($0, $1, count: $2) }, reference: referenceSigmoid, maximumUlps: 4,
    singleInputs: (sweep(-110, 30, count: 40_001) + around([-87.3365, -103.279, -103.972, 16.6])
      + tinyInputs).map { Float($0) },
    doubleInputs: sweep(-760, 50, count: 40_001) + sweep(-5, 5, count: 10_001)
      + around([-708.396418532264, -745.133219101941, 36.7]) + tinyInputs),
  ElementwiseFunction(
    name: "tanh", single: { Kernels.tanh($0, $1, count: $2) },
    double: { Kernels.tanh($0, $1, count: $2) }, reference: { Foundation.tanh($0) }, maximumUlps: 4,
    singleInputs: (sweep(-12, 12, count: 40_001) + around([9.01, -9.01, 0.55, -0.55])
      + tinyInputs).map { Float($0) },
    doubleInputs: sweep(-22, 22, count: 40_001) + sweep(-1, 1, count: 10_001)
      + around([19.06, -19.06, 0.55, -0.55]) + tinyInputs),
]

/// The error of `value` against `reference`, in ulps of `S` at the reference (subnormal ulps below the
/// normal range); 0 when both are the same infinity, ∞ when only one is infinite or NaN.
func ulpError<S: BinaryFloatingPoint>(_ value: S, reference: Double, as type: S.Type) -> Double {
  let rounded = S(reference)
  if rounded.isInfinite || value.isInfinite || value.isNaN || reference.isNaN {
    return rounded == value ? 0 : .infinity
  }
  let ulp = Double(Swift.max(rounded.magnitude.ulp, S.leastNonzeroMagnitude))
  return abs(Double(value) - reference) / ulp
}

extension KernelsTests {
  @Suite struct ElementwiseTests {
    @Test(arguments: elementwiseFunctions)
    func matchesLibmWithinUlpBound(_ function: ElementwiseFunction) {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        let single = function.apply(function.singleInputs)
        var worst = (error: 0.0, at: 0.0)
        for (x, y) in zip(function.singleInputs, single) {
          let error = ulpError(y, reference: function.reference(Double(x)), as: Float.self)
          if error > worst.error { worst = (error, Double(x)) }
        }
        #expect(
          worst.error <= function.maximumUlps,
          "\(function) Float simd=\(simd): \(worst.error) ulp at \(worst.at)")

        let double = function.apply(function.doubleInputs)
        worst = (0, 0)
        for (x, y) in zip(function.doubleInputs, double) {
          let error = ulpError(y, reference: function.reference(x), as: Double.self)
          if error > worst.error { worst = (error, x) }
        }
        // The Double reference is itself rounded (up to ~1 ulp), hence one ulp more.
        #expect(
          worst.error <= function.maximumUlps + 1,
          "\(function) Double simd=\(simd): \(worst.error) ulp at \(worst.at)")
      }
    }

    @Test(arguments: elementwiseFunctions)
    func tailsAndInPlaceMatchTheWholeBuffer(_ function: ElementwiseFunction) {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        let inputs = sweep(-3, 3, count: 33)
        let whole = function.apply(inputs)
        let wholeSingle = function.apply(inputs.map { Float($0) })
        for length in [0, 1, 7, 8, 9, 33] {
          // Out of place: the first `length` results, and nothing written past them.
          var output = [Double](repeating: 42, count: 40)
          inputs.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
              function.double(x.baseAddress!, y.baseAddress!, length)
            }
          }
          #expect(Array(output[..<length]) == Array(whole[..<length]), "\(function) n=\(length)")
          #expect(output[length...].allSatisfy { $0 == 42 }, "\(function) n=\(length) overran")

          // In place (y == x).
          var buffer = inputs.map { Float($0) } + [Float](repeating: 42, count: 7)
          buffer.withUnsafeMutableBufferPointer { y in
            function.single(UnsafePointer(y.baseAddress!), y.baseAddress!, length)
          }
          #expect(
            Array(buffer[..<length]) == Array(wholeSingle[..<length]),
            "\(function) in place n=\(length) simd=\(simd)")
          #expect(buffer[33...].allSatisfy { $0 == 42 })
        }
      }
    }

    @Test func expSpecialValues() {
      forEachKernelConfiguration(threads: [1]) { _, _ in
        let x: [Float] = [.infinity, -.infinity, .nan, 89, 1e4, -104, -1e4, 0, -0.0]
        let y = elementwiseFunctions[0].apply(x)
        #expect(y[0] == .infinity)
        #expect(y[1] == 0)
        #expect(y[2].isNaN)
        #expect(y[3] == .infinity && y[4] == .infinity, "overflow gives +∞")
        #expect(y[5] == 0 && y[6] == 0, "underflow gives 0")
        #expect(y[7] == 1 && y[8] == 1)
        let z = elementwiseFunctions[0].apply([Double.infinity, -.infinity, .nan, 710, -746])
        #expect(z[0] == .infinity && z[1] == 0 && z[2].isNaN && z[3] == .infinity && z[4] == 0)
      }
    }

    @Test func sigmoidSaturatesWithoutNaNAndStaysPositive() {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        let sigmoid = elementwiseFunctions[1]
        let y = sigmoid.apply([Float.infinity, -.infinity, 1e4, -1e4, .nan, 0, -0.0])
        #expect(y[0] == 1 && y[1] == 0 && y[2] == 1 && y[3] == 0)
        #expect(y[4].isNaN && y[5] == 0.5 && y[6] == 0.5)
        // Large negative inputs: tiny but not 0 until e^x itself underflows (about −103.97 in Float).
        let negative = sweep(-103.2, -20, count: 1_000).map { Float($0) }
        #expect(sigmoid.apply(negative).allSatisfy { $0 > 0 }, "simd=\(simd)")
        let z = sigmoid.apply([Double.infinity, -.infinity, 1e4, -1e4, .nan, -700])
        #expect(z[0] == 1 && z[1] == 0 && z[2] == 1 && z[3] == 0 && z[4].isNaN)
        #expect(z[5] > 0 && z[5] < 1e-300)
      }
    }

    /// The vector kernels take one path per group of vectors: a fast one, and a split scaling when
    /// some lane's result is subnormal. Lanes that are NaN, subnormal and ordinary, mixed in one
    /// group, must each come out as they do alone (a NaN must neither hide a subnormal lane nor
    /// change a neighbour's bits).
    @Test func sigmoidGroupsMixingNaNSubnormalAndOrdinaryLanesMatchSingleElements() {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        let sigmoid = elementwiseFunctions[1]
        let pattern: [Float] = [-95, .nan, 0.5, -3, -100, 7, -88, -0.0]
        for shift in 0..<pattern.count {
          let x = (0..<40).map { pattern[($0 + shift) % pattern.count] }
          let together = sigmoid.apply(x)
          for (index, value) in x.enumerated() {
            let alone = sigmoid.apply([value])[0]
            if value.isNaN {
              #expect(together[index].isNaN, "simd=\(simd) at \(index)")
            } else {
              #expect(
                together[index].bitPattern == alone.bitPattern,
                "simd=\(simd) sigmoid(\(value)) at \(index): \(together[index]) vs \(alone)")
              let error = ulpError(
                together[index], reference: referenceSigmoid(Double(value)), as: Float.self)
              #expect(error <= sigmoid.maximumUlps, "simd=\(simd) sigmoid(\(value)): \(error) ulp")
            }
          }
        }
      }
    }

    @Test func tanhSaturatesAndKeepsSigns() {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        let tanh = elementwiseFunctions[2]
        let subnormal = Float.leastNormalMagnitude / 1024
        let y = tanh.apply([Float.infinity, -.infinity, 1e4, -1e4, .nan, 0, -0.0, subnormal])
        #expect(y[0] == 1 && y[1] == -1 && y[2] == 1 && y[3] == -1 && y[4].isNaN)
        #expect(y[5] == 0 && y[5].sign == .plus && y[6] == 0 && y[6].sign == .minus, "simd=\(simd)")
        #expect(y[7] == subnormal, "tanh(x) = x for subnormal x")
        let doubleSubnormal = Double.leastNormalMagnitude / 4096
        let z = tanh.apply([Double.infinity, -.infinity, 1e4, -1e4, .nan, -0.0, doubleSubnormal])
        #expect(z[0] == 1 && z[1] == -1 && z[2] == 1 && z[3] == -1 && z[4].isNaN)
        #expect(z[5].sign == .minus && z[6] == doubleSubnormal)
      }
    }
  }
}
