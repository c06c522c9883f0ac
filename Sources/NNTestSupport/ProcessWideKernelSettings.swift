import Foundation

/// Held by the tests that change a process-wide kernel setting (`Kernels.setSIMDEnabled`).
private let processWideKernelSettings = NSLock()

/// Runs `body` while no other test changes a process-wide kernel setting, for a test that turns the
/// SIMD path off and back on (`Kernels.setSIMDEnabled`).
///
/// Swift Testing runs the suites of every test target in parallel in one process, and `.serialized`
/// orders the tests of one suite only; without this, a test in one target could turn the path back
/// on half-way through another's portable pass. Thread counts need no lock: a test sets one for its
/// own thread with `Kernels.withThreadCount`. Not reentrant: do not nest.
public func withProcessWideKernelSettings<Result>(_ body: () throws -> Result) rethrows -> Result {
  processWideKernelSettings.lock()
  defer { processWideKernelSettings.unlock() }
  return try body()
}
