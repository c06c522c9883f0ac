import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

@Suite("CosineSchedule") struct CosineScheduleTests {
  @Test("from the base rate at the start to min_lr at the end, the midpoint halfway")
  func annealing() throws {
    let schedule = try CosineSchedule(minimumRate: 0.001)
    let rate = { (epoch: Int) in schedule.rate(epoch: epoch, totalEpochs: 100, baseRate: 0.1) }
    // η = 0.001 + 0.099·(1 + cos(π·e/100))/2
    #expect(rate(0) == 0.1)
    #expect(isApproximatelyEqual(rate(50), 0.0505))  // cos(π/2) = 0
    #expect(isApproximatelyEqual(rate(100), 0.001))  // cos(π) = −1
    // e = 25: cos(π/4) = 0.707107, (1 + 0.707107)/2 = 0.853553: 0.001 + 0.099·0.853553 = 0.0855018
    #expect(isApproximatelyEqual(rate(25), 0.001 + 0.099 * (1 + 0.5.squareRoot()) / 2))
    // The last epoch (99) is just above the minimum; later epochs stay at it.
    #expect(rate(99) > 0.001 && rate(99) < 0.00103)
    #expect(isApproximatelyEqual(rate(150), 0.001))
  }

  @Test("the default minimum is 0; a run of 0 epochs keeps the base rate")
  func defaults() throws {
    let schedule = try CosineSchedule()
    #expect(schedule.minimumRate == 0)
    #expect(abs(schedule.rate(epoch: 10, totalEpochs: 10, baseRate: 1)) < 1e-15)
    #expect(schedule.rate(epoch: 0, totalEpochs: 0, baseRate: 1) == 1)
  }

  @Test("a negative min_lr is rejected")
  func ranges() {
    #expect { _ = try CosineSchedule(minimumRate: -1) } throws: { error in
      (error as? InputError)?.message.contains("option 'min_lr'") == true
    }
  }
}
