import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("log_sigmoid")
struct LogSigmoidTests {
  @Test("known values: log σ(0) = −ln 2, log σ(ln 3) = ln ¾")
  func knownValues() {
    // derivative 1 − σ(z): ½ at 0, ¼ at ln 3.
    expectKnown(LogSigmoid(), at: 0, value: -log(2), derivative: 0.5)
    expectKnown(LogSigmoid(), at: log(3), value: log(0.75), derivative: 0.25)
  }

  @Test("limits: log σ(−1e4) = −1e4, log σ(1e4) = 0, ±∞")
  func limits() {
    #expect(LogSigmoid().value(-1e4) == -1e4)
    #expect(LogSigmoid().value(1e4) == 0)
    #expect(LogSigmoid().value(-Double.infinity) == -.infinity)
    #expect(LogSigmoid().value(Double.infinity) == 0)
    #expect(bufferPath(LogSigmoid(), at: [-1e4, 1e4]).derivatives == [1, 0])
  }

  @Test("log σ(z) = −softplus(−z)")
  func relationToSoftplus() {
    for z in smoothPoints() {
      #expect(isApproximatelyEqual(LogSigmoid().value(z), -Softplus().value(-z), relative: 1e-14))
    }
  }
}
