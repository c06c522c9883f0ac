import CNNKernels

/// Swift entry points to nnpipe's compute kernels (matrix products and elementwise functions).
///
/// Matrices are row-major; a leading dimension is the distance in elements between two rows.
/// The products pick their own path by size: small products run inline on the calling thread,
/// large ones are packed, blocked and split across the worker threads.
public enum Kernels {
  /// The number of threads large products may use (1 = the calling thread only).
  public static var threadCount: Int {
    get { Int(nn_thread_count()) }
    set { nn_set_thread_count(Int32(clamping: newValue)) }
  }

  /// Whether the AVX2+FMA code path is in use on this CPU.
  public static var usesAVX2FMA: Bool { nn_cpu_has_avx2_fma() != 0 }

  /// Turns the SIMD path off or back on (it only turns on where the CPU supports it).
  public static func setSIMDEnabled(_ enabled: Bool) { nn_set_simd_enabled(enabled ? 1 : 0) }

  /// `C = alpha·op(A)·op(B) + beta·C` in single precision; `C` is not read when `beta == 0`.
  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    nn_sgemm(
      transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }

  /// `C = alpha·op(A)·op(B) + beta·C` in double precision; `C` is not read when `beta == 0`.
  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    nn_dgemm(
      transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }

  /// `y = exp(x)` elementwise (`y` may equal `x`).
  @inlinable
  public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    nn_s_exp(count, x, y)
  }
  /// `y = exp(x)` elementwise (`y` may equal `x`).
  @inlinable
  public static func exp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int)
  {
    nn_d_exp(count, x, y)
  }
  /// `y = 1 / (1 + exp(-x))` elementwise, without overflow for large |x|.
  @inlinable
  public static func sigmoid(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    nn_s_sigmoid(count, x, y)
  }
  /// `y = 1 / (1 + exp(-x))` elementwise, without overflow for large |x|.
  @inlinable
  public static func sigmoid(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    nn_d_sigmoid(count, x, y)
  }
  /// `y = tanh(x)` elementwise.
  @inlinable
  public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    nn_s_tanh(count, x, y)
  }
  /// `y = tanh(x)` elementwise.
  @inlinable
  public static func tanh(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    nn_d_tanh(count, x, y)
  }
}
