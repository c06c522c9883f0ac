import CNNKernels

extension Kernels {
  /// General matrix product in single precision: `C = alpha·op(A)·op(B) + beta·C`.
  ///
  /// `op(X)` is `X` or, when its `transpose` flag is set, `Xᵀ` (read in place: no transposed copy is
  /// made). `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; all row-major. With `k == 0` or
  /// `alpha == 0` the product term is zero (`C = beta·C`). When `beta == 0`, `C` is written without
  /// being read, so it may hold anything, NaN included.
  ///
  /// Small products run inline; large ones are packed into cache-sized blocks and split over
  /// `threadCount` threads. Several threads may call this at once.
  ///
  /// - Parameters:
  ///   - transposeA: use `Aᵀ` (`A` is then stored `k × m`).
  ///   - transposeB: use `Bᵀ` (`B` is then stored `n × k`).
  ///   - m: rows of `C`.
  ///   - n: columns of `C`.
  ///   - k: the inner dimension.
  ///   - alpha: scales the product.
  ///   - a: `A`'s first element.
  ///   - lda: distance between `A`'s rows (at least its stored width).
  ///   - b: `B`'s first element.
  ///   - ldb: distance between `B`'s rows.
  ///   - beta: scales the old `C` (0: overwrite without reading).
  ///   - c: `C`'s first element.
  ///   - ldc: distance between `C`'s rows (at least `n`).
  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    nn_sgemm(
      transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }

  /// General matrix product in double precision: `C = alpha·op(A)·op(B) + beta·C`.
  ///
  /// The same contract as the `Float` form: `op(A)` is `m × k`, `op(B)` is `k × n`, row-major with
  /// leading dimensions `lda`, `ldb`, `ldc`; `C` is not read when `beta == 0`.
  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    nn_dgemm(
      transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
}
