import NNLayers
import NNProtocols
import Testing

@Suite("Glorot initializers")
struct GlorotInitializersTests {
  // fan_in = 300, fan_out = 200: Var(W) = 2/(300 + 200) = 0.004.

  @Test func uniformHasLimitSqrtSixOverFanSum() {
    let w = fillTwice(GlorotUniform(), fanIn: 300, fanOut: 200)
    let limit = (6.0 / 500).squareRoot()
    #expect(w.scalars.allSatisfy { abs($0) <= limit })
    #expect(w.scalars.contains { abs($0) > 0.99 * limit })  // and reaches the limit
    expectMoments(of: w, mean: 0, variance: 2.0 / 500, kurtosis: 9.0 / 5)
    #expect(GlorotUniform().name == "glorot_uniform")
  }

  @Test func normalHasVarianceTwoOverFanSum() {
    let w = fillTwice(GlorotNormal(), fanIn: 300, fanOut: 200, as: Float.self)
    expectMoments(of: w, mean: 0, variance: 2.0 / 500, kurtosis: 3)
    #expect(GlorotNormal().name == "glorot_normal")
  }

  @Test func fanOutMatters() {
    // The same matrix size with the fans swapped gives the same variance; a different fan_out does not.
    let wide = fillTwice(GlorotNormal(), fanIn: 300, fanOut: 200)
    let narrow = Matrix<Double>(rows: 200, cols: 300)
    var generator = SeededGenerator(seed: 2024)
    GlorotNormal().fill(narrow, fanIn: 300, fanOut: 2000, using: &generator)
    expectMoments(of: narrow, mean: 0, variance: 2.0 / 2300, kurtosis: 3)
    #expect(!wide.elementsEqual(narrow))
  }
}
