#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Seconds on the monotonic clock (`CLOCK_MONOTONIC`), for elapsed times: the trainer's epochs, the
/// sharded step's timed steps. Read directly: `ContinuousClock.now` and `Duration.components` cost
/// ~300 instructions together, a tenth of a tiny network's whole epoch outside its kernel.
public func monotonicSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
