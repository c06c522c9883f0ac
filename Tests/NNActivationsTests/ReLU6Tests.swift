import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("relu6")
struct ReLU6Tests {
  @Test("known values: min(max(z, 0), 6), slope 1 on (0, 6)")
  func knownValues() {
    expectKnown(ReLU6(), at: 3, value: 3, derivative: 1)
    expectKnown(ReLU6(), at: 7, value: 6, derivative: 0)
    expectKnown(ReLU6(), at: -1, value: 0, derivative: 0)
  }

  @Test("relu6(−0) = +0; limits; NaN")
  func specials() {
    #expect(isIdentical(ReLU6().value(-0.0), 0))
    #expect(bufferPath(ReLU6(), at: [-Double.infinity, .infinity]).values == [0, 6])
    #expect(ReLU6().value(Double.nan).isNaN)
    #expect(ReLU6().derivative(Double.nan, output: .nan).isNaN)
  }

  @Test("agrees with relu below 6")
  func agreesWithReLU() {
    for z in smoothPoints() { #expect(ReLU6().value(z) == ReLU().value(z)) }
  }
}
