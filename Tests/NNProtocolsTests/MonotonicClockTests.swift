import Foundation
import NNProtocols
import Testing

@Suite("MonotonicClock")
struct MonotonicClockTests {
  @Test("readings never go back and measure a sleep")
  func measuresElapsedTime() {
    var previous = monotonicSeconds()
    for _ in 0..<1000 {
      let now = monotonicSeconds()
      #expect(now >= previous)
      previous = now
    }
    let start = monotonicSeconds()
    Thread.sleep(forTimeInterval: 0.05)
    let elapsed = monotonicSeconds() - start
    #expect(elapsed >= 0.049, "slept 0.05 s, measured \(elapsed) s")
    #expect(elapsed < 5, "slept 0.05 s, measured \(elapsed) s")
  }

  @Test("agrees with ContinuousClock over the same interval")
  func agreesWithContinuousClock() {
    let clock = ContinuousClock()
    let clockStart = clock.now
    let start = monotonicSeconds()
    Thread.sleep(forTimeInterval: 0.02)
    let elapsed = monotonicSeconds() - start
    let reference = clockStart.duration(to: clock.now)
    let referenceSeconds =
      Double(reference.components.seconds) + Double(reference.components.attoseconds) * 1e-18
    #expect(abs(elapsed - referenceSeconds) < 0.01, "\(elapsed) s against \(referenceSeconds) s")
  }
}
