import Foundation
import NNKernels
import NNTestSupport
import Synchronization
import Testing

/// The kernel tests. They change the SIMD path, a process-wide setting, so they run one at a time
/// and hold `withProcessWideKernelSettings` while it is off; thread counts they set for their own
/// thread only (`Kernels.withThreadCount`). The nested suites in the other files are extensions of
/// this one.
@Suite(.serialized) struct KernelsTests {
  @Test func aScopedThreadCountIsClampedAndRestored() throws {
    let original = Kernels.threadCount
    #expect(original >= 1)
    for (asked, used) in [(0, 1), (-5, 1), (3, 3), (1_000, 64)] {
      #expect(Kernels.withThreadCount(asked) { Kernels.threadCount } == used, "\(asked)")
      #expect(Kernels.threadCount == original)
    }
    // Nested scopes restore the outer count; a throw restores it too; nil changes nothing.
    Kernels.withThreadCount(3) {
      Kernels.withThreadCount(2) { #expect(Kernels.threadCount == 2) }
      #expect(Kernels.threadCount == 3)
    }
    struct Stop: Error {}
    #expect(throws: Stop.self) { try Kernels.withThreadCount(5) { throw Stop() } }
    #expect(Kernels.threadCount == original)
    #expect(Kernels.withThreadCount(nil) { Kernels.threadCount } == original)
  }

  @Test func aScopedThreadCountIsTheCallingThreadsOnly() {
    let original = Kernels.threadCount
    let seenElsewhere = Mutex<Int>(0)
    Kernels.withThreadCount(original == 1 ? 2 : 1) {
      let done = DispatchSemaphore(value: 0)
      let thread = Thread {
        seenElsewhere.withLock { $0 = Kernels.threadCount }
        done.signal()
      }
      thread.start()
      done.wait()
    }
    #expect(seenElsewhere.withLock { $0 } == original)
  }

  @Test func simdPathTurnsOffAndBackOn() {
    withProcessWideKernelSettings {
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
}

/// Runs `body` once for every combination of code path (AVX2+FMA where available, portable C) and
/// thread count (1 and 2, for this thread only), restoring the settings afterwards.
func forEachKernelConfiguration(
  threads: [Int] = [1, 2], _ body: (_ simd: Bool, _ threads: Int) throws -> Void
) rethrows {
  try withProcessWideKernelSettings {
    defer { Kernels.setSIMDEnabled(true) }
    for simd in [true, false] {
      Kernels.setSIMDEnabled(simd)
      for count in threads {
        try Kernels.withThreadCount(count) { try body(simd, count) }
      }
    }
  }
}
