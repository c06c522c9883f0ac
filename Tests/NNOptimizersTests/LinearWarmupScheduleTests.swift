import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

@Suite("LinearWarmupSchedule") struct LinearWarmupScheduleTests {
  @Test("rises linearly from start_factor·η₀ to η₀, then stays")
  func warmup() throws {
    let schedule = try LinearWarmupSchedule()
    #expect(schedule.warmupEpochs == 5 && schedule.startFactor == 0.1)
    let rate = { (epoch: Int) in schedule.rate(epoch: epoch, totalEpochs: 20, baseRate: 1) }
    // η₀·(0.1 + 0.9·min(e, 5)/5): 0.1, 0.28, 0.46, 0.64, 0.82, 1, 1, …
    #expect(isApproximatelyEqual(rate(0), 0.1))
    #expect(isApproximatelyEqual(rate(1), 0.28))
    #expect(isApproximatelyEqual(rate(4), 0.82))
    #expect(rate(5) == 1)
    #expect(rate(19) == 1)
  }

  @Test("out-of-range options are rejected")
  func ranges() {
    #expect(throws: InputError.self) { _ = try LinearWarmupSchedule(warmupEpochs: 0) }
    #expect(throws: InputError.self) { _ = try LinearWarmupSchedule(startFactor: 0) }
  }
}
