import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("selu")
struct SELUTests {
  @Test("known values: λ·z above 0, λα(e^z − 1) below")
  func knownValues() {
    let (alpha, scale) = (1.6732632423543772, 1.0507009873554805)
    expectKnown(SELU(), at: 1, value: scale, derivative: scale)
    // selu(−ln 2) = λα(½ − 1) = −λα/2; derivative λα·½.
    expectKnown(SELU(), at: -log(2), value: -scale * alpha / 2, derivative: scale * alpha / 2)
    #expect(SELU().value(-Double.infinity) == -scale * alpha)
  }

  @Test("self-normalizing: for z ~ N(0, 1), E[selu(z)] = 0 and E[selu(z)²] = 1")
  func selfNormalizing() {
    // Composite Simpson's rule over [−12, 12] with 0 on an even node, so each panel is smooth.
    let (lower, upper, panels) = (-12.0, 12.0, 24_000)
    let h = (upper - lower) / Double(panels)
    var mean = 0.0
    var secondMoment = 0.0
    for k in 0...panels {
      let z = lower + Double(k) * h
      let weight = (k == 0 || k == panels) ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0)
      let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
      let a = SELU().value(z)
      mean += weight * a * density
      secondMoment += weight * a * a * density
    }
    mean *= h / 3
    secondMoment *= h / 3
    #expect(abs(mean) < 1e-6, "mean \(mean)")
    #expect(abs(secondMoment - 1) < 1e-6, "second moment \(secondMoment)")
  }
}
