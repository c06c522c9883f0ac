import Dispatch
import NNKernels
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The part counts every test tries: none, one, a few, the largest pinned job (32) and beyond it.
private let partCounts = [0, 1, 2, 3, 7, 32, 33, 100]

/// One slot per possible part (more than any test asks for), so a part index out of range shows up
/// as a count in a slot that should have stayed 0.
private let slotCount = 128

/// Per-part records of one `runParts` call: how often each part ran, on which thread, and in which
/// position. Each part writes only its own slots; the test reads them after `runParts` returns.
private final class PartRecords {
  let runs = UnsafeMutablePointer<Int>.allocate(capacity: slotCount)
  let threads = UnsafeMutablePointer<pthread_t>.allocate(capacity: slotCount)

  init() {
    runs.initialize(repeating: 0, count: slotCount)
    threads.initialize(repeating: pthread_self(), count: slotCount)
  }

  deinit {
    runs.deallocate()
    threads.deallocate()
  }

  /// Counts one run of `part` on the current thread.
  func record(_ part: Int) {
    runs[part] += 1
    threads[part] = pthread_self()
  }

  /// The run counts of parts `0..<slotCount`.
  var runCounts: [Int] { Array(UnsafeBufferPointer(start: runs, count: slotCount)) }

  /// Whether `part` ran on `thread`.
  func ran(_ part: Int, on thread: pthread_t) -> Bool { pthread_equal(threads[part], thread) != 0 }
}

/// `[1, 1, …, 1, 0, 0, …]`: `parts` ones (every part ran exactly once), then zeros (no other index).
private func onceEach(_ parts: Int) -> [Int] {
  Array(repeating: 1, count: parts) + Array(repeating: 0, count: slotCount - parts)
}

/// Runs `body` with `Kernels.threadCount` set to `threads` for this thread only
/// (`Kernels.withThreadCount`), restoring the previous count afterwards.
private func withThreadCount(_ threads: Int, _ body: () throws -> Void) rethrows {
  try Kernels.withThreadCount(threads, body)
}

extension KernelsTests {
  /// `Kernels.runParts`: every part exactly once, done when the call returns, part 0 on the caller,
  /// and the fallbacks (one thread, more than 32 parts, a call from inside a part) run in order on the
  /// calling thread. Nested in `KernelsTests`, which runs one test at a time, because the tests set
  /// the thread count.
  @Suite struct KernelsRunPartsTests {
    @Test(arguments: [1, 2])
    func runsEveryPartExactlyOnce(threads: Int) {
      withThreadCount(threads) {
        let caller = pthread_self()
        for parts in partCounts {
          let records = PartRecords()
          Kernels.runParts(parts) { part in records.record(part) }
          #expect(records.runCounts == onceEach(parts), "parts=\(parts) threads=\(threads)")
          if parts > 0 {
            #expect(records.ran(0, on: caller), "part 0 ran off the calling thread, parts=\(parts)")
          }
        }
      }
    }

    /// Expects `runParts(parts)` to run every part in order on the calling thread, under
    /// `threads` threads.
    func expectInOrderOnTheCaller(_ partCounts: [Int], threads: Int) {
      withThreadCount(threads) {
        let caller = pthread_self()
        for parts in partCounts {
          var order: [Int] = []
          var offCaller = 0
          Kernels.runParts(parts) { part in
            order.append(part)
            if pthread_equal(pthread_self(), caller) == 0 { offCaller += 1 }
          }
          #expect(order == Array(0..<parts), "parts=\(parts) threads=\(threads)")
          #expect(offCaller == 0, "parts=\(parts): \(offCaller) parts ran on another thread")
        }
      }
    }

    @Test func oneThreadRunsThePartsInOrderOnTheCaller() {
      expectInOrderOnTheCaller(partCounts, threads: 1)
    }

    @Test(arguments: [2, 3])
    func moreThan32PartsRunInOrderOnTheCaller(threads: Int) {
      expectInOrderOnTheCaller([33, 64, 100], threads: threads)
    }

    @Test(arguments: [1, 2])
    func aNestedCallRunsItsPartsInOrderOnThePartsThread(threads: Int) {
      withThreadCount(threads) {
        let outerParts = 3
        let innerParts = 5
        // Outer part p owns slots p·innerParts ..< (p + 1)·innerParts for its inner parts' records,
        // and one slot of `innerInOrder` / `innerOnOwnThread`.
        let records = PartRecords()
        let innerInOrder = UnsafeMutablePointer<Bool>.allocate(capacity: outerParts)
        let innerOnOwnThread = UnsafeMutablePointer<Bool>.allocate(capacity: outerParts)
        innerInOrder.initialize(repeating: false, count: outerParts)
        innerOnOwnThread.initialize(repeating: false, count: outerParts)
        defer {
          innerInOrder.deallocate()
          innerOnOwnThread.deallocate()
        }
        Kernels.runParts(outerParts) { outer in
          // The pool is taken by the outer call, so this one runs inline, in order, on this thread.
          let thread = pthread_self()
          var order: [Int] = []
          var sameThread = true
          Kernels.runParts(innerParts) { inner in
            order.append(inner)
            if pthread_equal(pthread_self(), thread) == 0 { sameThread = false }
            records.record(outer * innerParts + inner)
          }
          innerInOrder[outer] = order == Array(0..<innerParts)
          innerOnOwnThread[outer] = sameThread
        }
        #expect(records.runCounts == onceEach(outerParts * innerParts), "threads=\(threads)")
        for outer in 0..<outerParts {
          #expect(innerInOrder[outer], "outer part \(outer): inner parts out of order")
          #expect(innerOnOwnThread[outer], "outer part \(outer): inner part on another thread")
        }
      }
    }

    @Test(arguments: [2, 3, 7])
    func backToBackCallsAreCompleteOnReturn(parts: Int) {
      withThreadCount(2) {
        let caller = pthread_self()
        let calls = 2_000
        // Slot p holds the number of the last call whose part p ran, and the thread it ran on.
        let last = UnsafeMutablePointer<Int>.allocate(capacity: parts)
        last.initialize(repeating: -1, count: parts)
        let thread = UnsafeMutablePointer<pthread_t>.allocate(capacity: parts)
        thread.initialize(repeating: caller, count: parts)
        defer {
          last.deallocate()
          thread.deallocate()
        }
        var incomplete: [Int] = []
        var partZeroOffCaller = 0
        // For each part, the threads other than the caller it ran on.
        var poolThreads = Array(repeating: [pthread_t](), count: parts)
        for call in 0..<calls {
          Kernels.runParts(parts) { part in
            last[part] = call
            thread[part] = pthread_self()
          }
          if (0..<parts).contains(where: { last[$0] != call }) { incomplete.append(call) }
          if pthread_equal(thread[0], caller) == 0 { partZeroOffCaller += 1 }
          for part in 1..<parts where pthread_equal(thread[part], caller) == 0 {
            if !poolThreads[part].contains(where: { pthread_equal($0, thread[part]) != 0 }) {
              poolThreads[part].append(thread[part])
            }
          }
        }
        #expect(incomplete.isEmpty, "calls with a part not done on return: \(incomplete.prefix(5))")
        #expect(partZeroOffCaller == 0)
        // Pinned: whenever the caller did not run part p, one and the same pool thread did, and no
        // two parts share a pool thread. (How often the pool's threads take their parts depends on
        // the machine's load, from none to nearly all 2,000 calls on a busy 2-core machine, so that
        // is not asserted.)
        #expect(poolThreads.allSatisfy { $0.count <= 1 }, "\(poolThreads.map(\.count))")
        let used = poolThreads.joined()
        for (index, first) in used.enumerated() {
          #expect(!used.dropFirst(index + 1).contains { pthread_equal($0, first) != 0 })
        }
      }
    }

    @Test func aLoweredThreadCountLeavesTheExtraPoolThreadsOut() {
      // Three threads start pool threads 1 and 2; with the count lowered to two, part 2 is the
      // caller's (only pool thread 1 may take a part).
      withThreadCount(3) {
        for _ in 0..<50 { Kernels.runParts(3) { _ in } }
      }
      withThreadCount(2) {
        let caller = pthread_self()
        let thread = UnsafeMutablePointer<pthread_t>.allocate(capacity: 3)
        thread.initialize(repeating: caller, count: 3)
        defer { thread.deallocate() }
        var partTwoOffCaller = 0
        for _ in 0..<2_000 {
          Kernels.runParts(3) { part in thread[part] = pthread_self() }
          if pthread_equal(thread[2], caller) == 0 { partTwoOffCaller += 1 }
        }
        // Workers started for the larger count stay out once it is lowered.
        #expect(partTwoOffCaller == 0, "part 2 ran on another thread with Kernels.threadCount = 2")
      }
    }

    @Test func concurrentCallersEachGetEveryPart() {
      withThreadCount(2) {
        let callers = 3
        let calls = 300
        let parts = 4
        // Caller c owns row c of `last` (parts slots) and slot c of `failures`, so the callers share
        // no memory (hence `nonisolated(unsafe)`: the pointers cross threads, their slots do not).
        nonisolated(unsafe) let last = UnsafeMutablePointer<Int>.allocate(capacity: callers * parts)
        last.initialize(repeating: -1, count: callers * parts)
        nonisolated(unsafe) let failures = UnsafeMutablePointer<Int>.allocate(capacity: callers)
        failures.initialize(repeating: 0, count: callers)
        defer {
          last.deallocate()
          failures.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
          let row = last + caller * parts
          for call in 0..<calls {
            Kernels.runParts(parts) { part in row[part] = call }
            if (0..<parts).contains(where: { row[$0] != call }) { failures[caller] += 1 }
          }
        }
        #expect((0..<callers).map { failures[$0] } == Array(repeating: 0, count: callers))
      }
    }
  }
}
