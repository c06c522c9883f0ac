import Testing

@testable import NNTraining

/// Runs `steps` steps through `schedule`, each taking `pooled` seconds on the pool and `inline` on
/// the calling thread (or what `time` gives for the step's index and way), and returns the ways
/// taken: `true` for the pool.
private func run(
  _ schedule: inout ShardSchedule, steps: Int,
  time: (_ step: Int, _ onPool: Bool) -> Double
) -> [Bool] {
  var ways: [Bool] = []
  for step in 0..<steps {
    let onPool = schedule.runsOnPool
    ways.append(onPool)
    schedule.record(seconds: time(step, onPool))
  }
  return ways
}

@Suite("ShardSchedule")
struct ShardScheduleTests {
  @Test func warmsUpOnThePoolThenTimesBothWaysAndKeepsTheFasterOne() {
    var schedule = ShardSchedule(trialSteps: 5, shortestWait: 32, longestWait: 256, warmUpSteps: 16)
    let ways = run(&schedule, steps: 16 + 10 + 256 + 10) { _, onPool in onPool ? 40e-6 : 66e-6 }
    #expect(ways[0..<16].allSatisfy { $0 })  // warm-up
    #expect(ways[16..<21].allSatisfy { $0 })  // the trial: 5 steps on the pool …
    #expect(ways[21..<26].allSatisfy { !$0 })  // … and 5 on the calling thread
    #expect(ways[26..<282].allSatisfy { $0 })  // the pool won: 256 steps on it
    #expect(ways[282..<287].allSatisfy { $0 } && ways[287..<292].allSatisfy { !$0 })  // next trial
  }

  @Test func aBusyOtherCoreMovesTheShardsToTheCallingThreadWithTrialsBackingOff() {
    var schedule = ShardSchedule(trialSteps: 5, shortestWait: 32, longestWait: 256, warmUpSteps: 16)
    // The pool's steps take 300 µs (a worker switched out), the calling thread's 66 µs.
    let ways = run(&schedule, steps: 2000) { _, onPool in onPool ? 300e-6 : 66e-6 }
    // The runs of steps on the calling thread between trials: 32, 64, 128, then 256 each.
    var runs: [Int] = []
    var current = 0
    for (index, onPool) in ways.enumerated() where index >= 16 {
      if !onPool {
        current += 1
      } else if current > 0 {
        runs.append(current)
        current = 0
      }
    }
    // Each run is a trial's 5 inline steps followed by the wait.
    #expect(Array(runs.prefix(5)) == [5 + 32, 5 + 64, 5 + 128, 5 + 256, 5 + 256])
  }

  @Test func oneSlowStepInATrialDoesNotDecide() {
    var schedule = ShardSchedule(trialSteps: 5, shortestWait: 32, longestWait: 256, warmUpSteps: 0)
    // The trial's first pool step is slowed (say, a page fault): the median still favours the pool.
    let ways = run(&schedule, steps: 40) { step, onPool in
      onPool ? (step == 0 ? 900e-6 : 40e-6) : 66e-6
    }
    #expect(ways[10..<40].allSatisfy { $0 })
    #expect(schedule.pooledWins)
  }

  @Test func aPoolThatLostByChanceIsSoonTriedAgain() {
    var schedule = ShardSchedule(trialSteps: 5, shortestWait: 32, longestWait: 256, warmUpSteps: 0)
    // The first trial's pool steps share the caller's core (as a new worker thread may at first):
    // as slow as the calling thread's. Later the pool is faster, and the next trial finds it.
    let ways = run(&schedule, steps: 200) { step, onPool in
      onPool ? (step < 5 ? 70e-6 : 40e-6) : 66e-6
    }
    #expect(ways[10..<42].allSatisfy { !$0 })  // lost: 32 steps on the calling thread
    #expect(ways[52..<200].allSatisfy { $0 })  // the second trial (steps 42–51) won
  }
}
