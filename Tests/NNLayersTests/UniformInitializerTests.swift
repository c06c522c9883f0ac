import NNLayers
import NNProtocols
import Testing

@Suite("UniformInitializer")
struct UniformInitializerTests {
  @Test func defaultIsPlusMinusFiveHundredths() {
    let w = fillTwice(UniformInitializer(), fanIn: 250, fanOut: 200)
    #expect(w.scalars.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
    expectMoments(of: w, mean: 0, variance: 0.1 * 0.1 / 12, kurtosis: 9.0 / 5)
  }

  @Test func boundsAreHonoured() {
    let w = fillTwice(UniformInitializer(low: 1, high: 3), fanIn: 250, fanOut: 200, as: Float.self)
    #expect(w.scalars.allSatisfy { $0 >= 1 && $0 <= 3 })
    expectMoments(of: w, mean: 2, variance: 4.0 / 12, kurtosis: 9.0 / 5)
    #expect(UniformInitializer().name == "uniform")
  }
}
