import Foundation
import NNKernels

/// The element types a network can compute in: `Float` (the default, fast) and `Double` (exact; the
/// tutorials' NumPy code is double precision).
///
/// Besides arithmetic, a scalar type supplies the elementary functions activations and losses need and
/// the whole-buffer kernels the hot paths call, so generic code does one dynamic call per buffer rather
/// than one per element.
public protocol NNScalar: BinaryFloatingPoint, LosslessStringConvertible, Sendable
where RawSignificand: FixedWidthInteger {
  /// The safetensors dtype name of this type: `"F32"` or `"F64"`.
  static var dtypeName: String { get }

  /// e^x.
  static func exp(_ x: Self) -> Self
  /// The natural logarithm.
  static func log(_ x: Self) -> Self
  /// log(1 + x), accurate near zero.
  static func log1p(_ x: Self) -> Self
  /// e^x − 1, accurate near zero.
  static func expm1(_ x: Self) -> Self
  /// The hyperbolic tangent.
  static func tanh(_ x: Self) -> Self
  /// The error function.
  static func erf(_ x: Self) -> Self

  /// `C = alpha·op(A)·op(B) + beta·C` over row-major buffers (see `Kernels.gemm`).
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
  /// `y[i] = exp(x[i])` for `count` elements; `y` may equal `x`.
  static func exp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// `y[i] = 1 / (1 + exp(-x[i]))` for `count` elements; `y` may equal `x`.
  static func sigmoid(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// `y[i] = tanh(x[i])` for `count` elements; `y` may equal `x`.
  static func tanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// Column sums `sums[j] = Σ_i x[i·ld + j]` of a row-major `rows × cols` matrix (see
  /// `Kernels.sumRows`).
  static func sumRows(
    _ x: UnsafePointer<Self>, rows: Int, cols: Int, ld: Int, into sums: UnsafeMutablePointer<Self>)
  /// A dense layer's bias and activation in one pass over a contiguous `rows × cols` matrix:
  /// `z[i][j] ← z[i][j] + bias[j]`, then `a[i][j] = g(z[i][j])` (see `Kernels.biasActivation`);
  /// with `.identity`, `a` may equal `z`.
  static func biasActivation(
    _ z: UnsafeMutablePointer<Self>, bias: UnsafePointer<Self>, _ a: UnsafeMutablePointer<Self>,
    rows: Int, cols: Int, kernel: FusedActivationKernel)
  /// `dZ[i] = dA[i]·g'(z[i])` for the activation `kernel` names, from the forward output `a` where
  /// `g'` is written in it (see `Kernels.activationBackward`); `.identity` writes nothing.
  static func activationBackward(
    z: UnsafePointer<Self>, a: UnsafePointer<Self>, dA: UnsafePointer<Self>,
    dZ: UnsafeMutablePointer<Self>, count: Int, kernel: FusedActivationKernel)
  /// One training step's forward and backward pass of a small dense network in one kernel call
  /// (see `Kernels.denseNetworkStep`); returns the loss, or `nil` when the network is beyond the
  /// kernel's limits.
  static func denseNetworkStep(
    layerCount: Int, sizes: UnsafePointer<Int>, kinds: UnsafePointer<Int32>,
    weights: UnsafePointer<UnsafePointer<Self>?>, biases: UnsafePointer<UnsafePointer<Self>?>,
    weightGradients: UnsafePointer<UnsafeMutablePointer<Self>?>,
    biasGradients: UnsafePointer<UnsafeMutablePointer<Self>?>,
    rows: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>, lossScale: Double,
    gradientScale: Double
  ) -> Double?
}

/// The activations a fused kernel computes together with a dense layer's bias
/// (`NNScalar.biasActivation`); an `Activation` names its kernel through `fusedKernel`.
public enum FusedActivationKernel: Int32, Sendable {
  /// `g(z) = z`.
  case identity = 0
  /// `g(z) = 1 / (1 + e^−z)`.
  case sigmoid = 1
  /// `g(z) = tanh z`.
  case tanh = 2
  /// `g(z) = max(z, 0)` (`+0` for `z ≤ 0`; NaN stays NaN).
  case relu = 3
}

extension Float: NNScalar {
  public static var dtypeName: String { "F32" }
  @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
  @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
  @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
  @inlinable public static func expm1(_ x: Float) -> Float { Foundation.expm1(x) }
  @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
  @inlinable public static func erf(_ x: Float) -> Float { Foundation.erf(x) }

  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    Kernels.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }
  @inlinable
  public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    Kernels.exp(x, y, count: count)
  }
  @inlinable
  public static func sigmoid(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    Kernels.sigmoid(x, y, count: count)
  }
  @inlinable
  public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    Kernels.tanh(x, y, count: count)
  }
  @inlinable
  public static func sumRows(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int, into sums: UnsafeMutablePointer<Float>
  ) {
    Kernels.sumRows(x, rows: rows, cols: cols, ld: ld, into: sums)
  }
  @inlinable
  public static func biasActivation(
    _ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>,
    rows: Int, cols: Int, kernel: FusedActivationKernel
  ) {
    Kernels.biasActivation(z, bias: bias, a, rows: rows, cols: cols, kind: kernel.rawValue)
  }
  @inlinable
  public static func activationBackward(
    z: UnsafePointer<Float>, a: UnsafePointer<Float>, dA: UnsafePointer<Float>,
    dZ: UnsafeMutablePointer<Float>, count: Int, kernel: FusedActivationKernel
  ) {
    Kernels.activationBackward(z: z, a: a, dA: dA, dZ: dZ, count: count, kind: kernel.rawValue)
  }
  @inlinable
  public static func denseNetworkStep(
    layerCount: Int, sizes: UnsafePointer<Int>, kinds: UnsafePointer<Int32>,
    weights: UnsafePointer<UnsafePointer<Float>?>, biases: UnsafePointer<UnsafePointer<Float>?>,
    weightGradients: UnsafePointer<UnsafeMutablePointer<Float>?>,
    biasGradients: UnsafePointer<UnsafeMutablePointer<Float>?>,
    rows: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>, lossScale: Double,
    gradientScale: Double
  ) -> Double? {
    Kernels.denseNetworkStep(
      layerCount: layerCount, sizes: sizes, kinds: kinds, weights: weights, biases: biases,
      weightGradients: weightGradients, biasGradients: biasGradients, rows: rows, x: x, y: y,
      lossScale: lossScale, gradientScale: gradientScale)
  }
}

extension Double: NNScalar {
  public static var dtypeName: String { "F64" }
  @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
  @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
  @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
  @inlinable public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
  @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
  @inlinable public static func erf(_ x: Double) -> Double { Foundation.erf(x) }

  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    Kernels.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }
  @inlinable
  public static func exp(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    Kernels.exp(x, y, count: count)
  }
  @inlinable
  public static func sigmoid(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    Kernels.sigmoid(x, y, count: count)
  }
  @inlinable
  public static func tanh(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    Kernels.tanh(x, y, count: count)
  }
  @inlinable
  public static func sumRows(
    _ x: UnsafePointer<Double>, rows: Int, cols: Int, ld: Int,
    into sums: UnsafeMutablePointer<Double>
  ) {
    Kernels.sumRows(x, rows: rows, cols: cols, ld: ld, into: sums)
  }
  @inlinable
  public static func biasActivation(
    _ z: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>,
    _ a: UnsafeMutablePointer<Double>,
    rows: Int, cols: Int, kernel: FusedActivationKernel
  ) {
    Kernels.biasActivation(z, bias: bias, a, rows: rows, cols: cols, kind: kernel.rawValue)
  }
  @inlinable
  public static func activationBackward(
    z: UnsafePointer<Double>, a: UnsafePointer<Double>, dA: UnsafePointer<Double>,
    dZ: UnsafeMutablePointer<Double>, count: Int, kernel: FusedActivationKernel
  ) {
    Kernels.activationBackward(z: z, a: a, dA: dA, dZ: dZ, count: count, kind: kernel.rawValue)
  }
  @inlinable
  public static func denseNetworkStep(
    layerCount: Int, sizes: UnsafePointer<Int>, kinds: UnsafePointer<Int32>,
    weights: UnsafePointer<UnsafePointer<Double>?>, biases: UnsafePointer<UnsafePointer<Double>?>,
    weightGradients: UnsafePointer<UnsafeMutablePointer<Double>?>,
    biasGradients: UnsafePointer<UnsafeMutablePointer<Double>?>,
    rows: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>, lossScale: Double,
    gradientScale: Double
  ) -> Double? {
    Kernels.denseNetworkStep(
      layerCount: layerCount, sizes: sizes, kinds: kinds, weights: weights, biases: biases,
      weightGradients: weightGradients, biasGradients: biasGradients, rows: rows, x: x, y: y,
      lossScale: lossScale, gradientScale: gradientScale)
  }
}
