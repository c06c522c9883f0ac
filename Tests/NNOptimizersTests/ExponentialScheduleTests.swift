import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

@Suite("ExponentialSchedule") struct ExponentialScheduleTests {
  @Test("η₀·γᵉ with the default γ = 0.95")
  func defaults() throws {
    let schedule = try ExponentialSchedule()
    #expect(schedule.gamma == 0.95)
    #expect(schedule.rate(epoch: 0, totalEpochs: 50, baseRate: 0.1) == 0.1)
    #expect(isApproximatelyEqual(schedule.rate(epoch: 1, totalEpochs: 50, baseRate: 0.1), 0.095))
    #expect(isApproximatelyEqual(schedule.rate(epoch: 2, totalEpochs: 50, baseRate: 0.1), 0.09025))
    // 0.95¹⁰ = 0.598736939238…
    #expect(
      isApproximatelyEqual(
        schedule.rate(epoch: 10, totalEpochs: 50, baseRate: 1), 0.5987369392383789))
  }

  @Test("gamma outside (0, 1] is rejected")
  func ranges() {
    #expect(throws: InputError.self) { _ = try ExponentialSchedule(gamma: 1.5) }
    #expect(throws: InputError.self) { _ = try ExponentialSchedule(gamma: 0) }
  }
}
