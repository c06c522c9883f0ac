import NNProtocols

/// Whether a sharded step's shards run on the worker pool or one after another on the calling
/// thread, chosen by timing both.
///
/// Two threads pay only while the other core is free: when another process keeps it busy, the
/// worker that took a shard can be switched out in the middle of it, and the whole step waits for a
/// time slice (milliseconds, against tens of microseconds of work). So the schedule measures: now
/// and then it times `trialSteps` steps on the pool and as many on the calling thread, and runs the
/// steps until the next trial the way whose median step was faster (a median, so that one step
/// slowed by something else does not decide). A shard computes the same numbers whichever thread
/// runs it, so the choice changes the speed, never the results.
///
/// After the pool wins, the next trial comes `longestWait` steps later. After the calling thread
/// wins, it comes `shortestWait` steps later, then twice as late each time it wins again, up to
/// `longestWait`: a pool that lost by chance (the first steps of a process, while the system has
/// not yet moved the new worker thread to the other core) is soon tried again, and a machine that
/// stays busy is not paying for trials on the pool often.
struct ShardSchedule {
  /// Steps timed each way in a trial.
  let trialSteps: Int
  /// The fewest and the most steps between two trials.
  let shortestWait: Int
  let longestWait: Int
  /// Steps left before the next trial.
  private var wait: Int
  /// The wait after the next trial the calling thread wins.
  private var nextInlineWait: Int
  /// The current trial's step (pool first, then the calling thread), `nil` between trials.
  private var trialPosition: Int?
  /// The trial's step times: on the pool, and on the calling thread.
  private var pooledSeconds: [Double]
  private var inlineSeconds: [Double]
  /// The way the steps between trials take.
  private(set) var pooledWins = true

  /// - Parameter warmUpSteps: steps run on the pool before the first trial: the first steps pay
  ///   for things later ones do not (workspaces allocated and first touched, the pool's threads
  ///   started).
  init(trialSteps: Int = 5, shortestWait: Int = 32, longestWait: Int = 256, warmUpSteps: Int = 16) {
    precondition(
      trialSteps >= 1 && shortestWait >= 1 && longestWait >= shortestWait && warmUpSteps >= 0,
      "shard schedule: bad counts")
    self.trialSteps = trialSteps
    self.shortestWait = shortestWait
    self.longestWait = longestWait
    wait = warmUpSteps
    nextInlineWait = shortestWait
    trialPosition = warmUpSteps == 0 ? 0 : nil
    pooledSeconds = Array(repeating: 0, count: trialSteps)
    inlineSeconds = Array(repeating: 0, count: trialSteps)
  }

  /// Whether the next step runs its shards on the pool.
  var runsOnPool: Bool {
    if let trialPosition { return trialPosition < trialSteps }
    return pooledWins
  }

  /// Records the step just run (the way `runsOnPool` gave) and how long it took.
  mutating func record(seconds: Double) {
    guard let position = trialPosition else {
      wait -= 1
      if wait <= 0 { trialPosition = 0 }
      return
    }
    if position < trialSteps {
      pooledSeconds[position] = seconds
    } else {
      inlineSeconds[position - trialSteps] = seconds
    }
    if position + 1 < 2 * trialSteps {
      trialPosition = position + 1
      return
    }
    trialPosition = nil
    pooledWins = Self.median(&pooledSeconds) <= Self.median(&inlineSeconds)
    if pooledWins {
      wait = longestWait
      nextInlineWait = shortestWait
    } else {
      wait = nextInlineWait
      nextInlineWait = Swift.min(2 * nextInlineWait, longestWait)
    }
  }

  /// The middle value of `times` (sorted in place; the lower middle for an even count).
  private static func median(_ times: inout [Double]) -> Double {
    times.sort()
    return times[(times.count - 1) / 2]
  }
}
