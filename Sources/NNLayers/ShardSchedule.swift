#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether a sharded step's shards run on the worker pool or one after another on the calling
/// thread, chosen by timing both.
///
/// Two threads pay only while the other core is free: when another process keeps it busy, the
/// worker that took a shard can be switched out in the middle of it, and the whole step waits for a
/// time slice (milliseconds, against tens of microseconds of work). So the schedule measures: every
/// `period` steps it times `trialSteps` steps on the pool and as many on the calling thread, and
/// runs the rest of the period the faster way. A shard computes the same numbers whichever thread
/// runs it, so the choice changes the speed, never the results.
struct ShardSchedule {
  /// Steps between two trials, and steps timed per way in a trial.
  let period: Int
  let trialSteps: Int
  /// Where the current step falls in the period.
  private var position = 0
  /// The trial's summed step times, on the pool and on the calling thread.
  private var pooledSeconds = 0.0
  private var inlineSeconds = 0.0
  /// The way the steps after the trial take.
  private(set) var pooledWins = true

  init(period: Int = 256, trialSteps: Int = 4) {
    precondition(period > 2 * trialSteps && trialSteps >= 1, "shard schedule: bad period")
    self.period = period
    self.trialSteps = trialSteps
  }

  /// Whether the next step runs its shards on the pool.
  var runsOnPool: Bool {
    if position < trialSteps { return true }
    if position < 2 * trialSteps { return false }
    return pooledWins
  }

  /// Records the step just run (the way `runsOnPool` gave) and how long it took.
  mutating func record(seconds: Double) {
    if position < trialSteps {
      pooledSeconds += seconds
    } else if position < 2 * trialSteps {
      inlineSeconds += seconds
      if position == 2 * trialSteps - 1 {
        pooledWins = pooledSeconds <= inlineSeconds
        pooledSeconds = 0
        inlineSeconds = 0
      }
    }
    position = (position + 1) % period
  }

  /// Seconds on a monotonic clock, for timing steps.
  static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
  }
}
