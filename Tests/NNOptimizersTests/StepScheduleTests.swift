import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

@Suite("StepSchedule") struct StepScheduleTests {
  @Test("defaults: ×0.1 every 30 epochs")
  func defaults() throws {
    let schedule = try StepSchedule()
    #expect(schedule.stepSize == 30 && schedule.gamma == 0.1)
    // η₀·0.1^⌊e/30⌋: epochs 0–29 → η₀, 30–59 → η₀/10, 60… → η₀/100.
    let rate = { (epoch: Int) in schedule.rate(epoch: epoch, totalEpochs: 100, baseRate: 0.5) }
    #expect(rate(0) == 0.5)
    #expect(rate(29) == 0.5)
    #expect(isApproximatelyEqual(rate(30), 0.05))
    #expect(isApproximatelyEqual(rate(59), 0.05))
    #expect(isApproximatelyEqual(rate(60), 0.005))
  }

  @Test("other step sizes and factors")
  func custom() throws {
    let schedule = try StepSchedule(stepSize: 2, gamma: 0.5)
    // ⌊5/2⌋ = 2 decays: 1·0.5² = 0.25.
    #expect(schedule.rate(epoch: 5, totalEpochs: 10, baseRate: 1) == 0.25)
  }

  @Test("out-of-range options are rejected, naming the option")
  func ranges() {
    #expect { _ = try StepSchedule(stepSize: 0) } throws: { error in
      (error as? InputError)?.message.contains("option 'step_size'") == true
    }
    #expect { _ = try StepSchedule(gamma: 0) } throws: { error in
      (error as? InputError)?.message.contains("option 'gamma'") == true
    }
  }
}
