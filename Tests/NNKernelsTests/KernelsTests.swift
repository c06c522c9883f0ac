import NNKernels
import Testing

/// The kernel tests. They change process-wide settings (the SIMD path, the thread count), so they run
/// one at a time; the nested suites in the other files are extensions of this one.
@Suite(.serialized) struct KernelsTests {
  @Test func threadCountIsClampedAndRestored() {
    let original = Kernels.threadCount
    defer { Kernels.threadCount = original }
    #expect(original >= 1)
    Kernels.threadCount = 0
    #expect(Kernels.threadCount == 1)
    Kernels.threadCount = -5
    #expect(Kernels.threadCount == 1)
    Kernels.threadCount = 3
    #expect(Kernels.threadCount == 3)
    Kernels.threadCount = 1_000
    #expect(Kernels.threadCount == 64)
  }

  @Test func simdPathTurnsOffAndBackOn() {
    let available = Kernels.usesAVX2FMA
    defer { Kernels.setSIMDEnabled(true) }
    Kernels.setSIMDEnabled(false)
    #expect(!Kernels.usesAVX2FMA)
    Kernels.setSIMDEnabled(true)
    #expect(Kernels.usesAVX2FMA == available)
    #if !arch(x86_64)
      #expect(!available, "the AVX2+FMA path exists only on x86-64")
    #endif
  }
}

/// Runs `body` once for every combination of code path (AVX2+FMA where available, portable C) and
/// thread count (1 and 2), restoring the settings afterwards.
func forEachKernelConfiguration(
  threads: [Int] = [1, 2], _ body: (_ simd: Bool, _ threads: Int) throws -> Void
) rethrows {
  let originalThreads = Kernels.threadCount
  defer {
    Kernels.setSIMDEnabled(true)
    Kernels.threadCount = originalThreads
  }
  for simd in [true, false] {
    Kernels.setSIMDEnabled(simd)
    for count in threads {
      Kernels.threadCount = count
      try body(simd, count)
    }
  }
}
