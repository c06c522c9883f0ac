import NNOptimizers
import Testing

@Suite("ConstantSchedule") struct ConstantScheduleTests {
  @Test("the base rate in every epoch")
  func constant() {
    let schedule = ConstantSchedule()
    #expect(schedule.name == "constant")
    for epoch in [0, 1, 29, 30, 99] {
      #expect(schedule.rate(epoch: epoch, totalEpochs: 100, baseRate: 0.05) == 0.05)
    }
  }
}
