import CNNKernels

/// Swift entry points to nnpipe's compute kernels: matrix products (`gemm`) and elementwise functions
/// (`exp`, `sigmoid`, `tanh`) over whole buffers, in `Float` and `Double`.
///
/// The kernels live in the C target `CNNKernels`, where each hot function is compiled twice: once for
/// AVX2+FMA (selected at run time when the CPU has it) and once in portable C. Large products run on a
/// pool of worker threads created once, on first use.
///
/// Matrices are row-major; a leading dimension (`lda`, `ldb`, `ldc`) is the distance in elements between
/// the starts of two rows, so a sub-matrix view is passed as its first element and its parent's width.
///
/// See Also: `gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`,
/// `sigmoid(_:_:count:)`.
public enum Kernels {
  /// The number of threads a large product started by this thread may use (1 = the calling thread
  /// only): the count `withThreadCount` set for this thread, else the process's count.
  ///
  /// Setting it sets the process's count (inside `withThreadCount` the scoped count still wins on
  /// that thread); prefer `withThreadCount`, which cannot leak into other callers. Defaults to the
  /// number of cores this process may run on. Values below 1 are stored as 1, above 64 as 64.
  /// Products are bit-identical for every thread count: each element of `C` is computed by one
  /// thread with the same sequence of operations however the work is split.
  public static var threadCount: Int {
    get { Int(nn_thread_count()) }
    set { nn_set_thread_count(Int32(clamping: newValue)) }
  }

  /// Runs `body` with `threadCount` set to `count` (clamped to 1…64) for the products and
  /// `runParts` calls this thread starts, and restores the previous count when `body` returns or
  /// throws; `nil` runs `body` with the count unchanged.
  ///
  /// The count belongs to the calling thread: other threads (another run in the same process, a
  /// test running in parallel) keep theirs, so a command or a test that passes its count this way
  /// cannot change anyone else's.
  public static func withThreadCount<Result>(
    _ count: Int?, _ body: () throws -> Result
  ) rethrows -> Result {
    guard let count else { return try body() }
    let previous = nn_set_calling_thread_count(Int32(clamping: max(1, count)))
    defer { nn_set_calling_thread_count(previous) }
    return try body()
  }

  /// The most threads a product may use (the worker pool's size): `--threads` and
  /// `train threads=` accept 1 up to this, larger values are refused.
  public static let maximumThreadCount = 64

  /// Whether the AVX2+FMA code path is in use: the CPU has both, and `setSIMDEnabled(false)` has not
  /// turned it off.
  public static var usesAVX2FMA: Bool { nn_cpu_has_avx2_fma() != 0 }

  /// Turns the AVX2+FMA path off (`false`: the portable C path runs) or back on (`true`; it only turns
  /// on where the CPU supports it). For tests and benchmarks; the setting is process-wide.
  public static func setSIMDEnabled(_ enabled: Bool) { nn_set_simd_enabled(enabled ? 1 : 0) }
}

extension Kernels {
  /// Runs `body(part)` for every `part` in `0..<parts` on the worker pool and returns when all have
  /// finished. Part `p` runs on the pool's thread `p` (the caller is thread 0) whenever that thread is
  /// free to take it, so the memory a part works on stays in one core's cache from one call to the
  /// next; a worker that is busy or asleep never holds the call up (the caller runs its part). With
  /// one thread, or more than 32 parts, the caller runs the parts in order.
  ///
  /// The parts run at the same time: each must write only memory no other part reads or writes, and
  /// must not depend on another part's result.
  public static func runParts(_ parts: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
      var box = PartsBody(body: body)
      withUnsafeMutablePointer(to: &box) { pointer in
        nn_parallel_parts(
          parts,
          { context, part in
            context!.assumingMemoryBound(to: PartsBody.self).pointee.body(part)
          }, pointer)
      }
    }
  }
}

/// The closure `Kernels.runParts` hands to C, behind one pointer.
private struct PartsBody {
  let body: (Int) -> Void
}
