import Foundation
import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("gelu")
struct GELUTests {
  @Test("exact form: gelu(1) = Φ(1), gelu(−1) = −(1 − Φ(1)), gelu'(0) = ½")
  func exactKnownValues() throws {
    let gelu = try makeActivation("gelu")
    // Φ(1) = ½(1 + erf(1/√2)) = 0.8413447460685429; φ(1) = e^(−½)/√(2π) = 0.24197072451914337.
    let cdf1 = 0.8413447460685429
    let pdf1 = 0.24197072451914337
    expectKnown(gelu, at: 1, value: cdf1, derivative: cdf1 + pdf1)
    // gelu(−1) = −Φ(−1) = −(1 − Φ(1)); derivative Φ(−1) − φ(1).
    expectKnown(gelu, at: -1, value: -(1 - cdf1), derivative: (1 - cdf1) - pdf1)
    expectKnown(gelu, at: 0, value: 0, derivative: 0.5)
  }

  @Test("exact form equals z·erfc(−z/√2)/2 (an independent formula)")
  func exactAgainstErfc() {
    for z in smoothPoints() {
      let reference = z * erfc(-z / 2.0.squareRoot()) / 2
      #expect(isApproximatelyEqual(GELU().value(z), reference, absolute: 1e-15, relative: 1e-12))
    }
  }

  @Test("tanh approximation: known value at 1, and within 1e-3 of the exact form")
  func tanhApproximation() throws {
    let approximate = try makeActivation("gelu", [("approximate", .text("tanh"))])
    #expect((approximate as? GELU)?.approximation == .tanh)
    // u = √(2/π)·(1 + 0.044715) = 0.83356…; ½(1 + tanh u) = 0.8411919906082768;
    // derivative ½(1 + tanh u) + ½(1 − tanh² u)·√(2/π)·(1 + 3·0.044715) = 1.0829640838457826
    // (evaluated with Python's math module).
    expectKnown(approximate, at: 1, value: 0.8411919906082768, derivative: 1.0829640838457826)
    for z in smoothPoints() {
      #expect(abs(approximate.value(z) - GELU().value(z)) < 1e-3, "at \(z)")
    }
  }

  @Test("saturates without NaN: gelu(±∞) = +∞ and 0, derivatives 1 and 0, in both forms")
  func limits() {
    for gelu in [GELU(), GELU(approximate: .tanh)] {
      #expect(gelu.value(Double.infinity) == .infinity)
      #expect(gelu.value(-Double.infinity) == 0)
      #expect(gelu.value(-1e4) == 0 && gelu.value(1e4) == 1e4)
      #expect(gelu.derivative(Double.infinity, output: .infinity) == 1)
      #expect(gelu.derivative(-Double.infinity, output: 0) == 0)
      #expect(
        gelu.derivative(Double.greatestFiniteMagnitude, output: .greatestFiniteMagnitude) == 1)
      #expect(gelu.value(Float(-1e4)) == 0 && gelu.value(Float(1e4)) == 1e4)
    }
  }
}
