import NNLayers
import NNProtocols
import Testing

@Suite("He initializers")
struct HeInitializersTests {
  // fan_in = 250: Var(W) = 2/250 = 0.008, whatever fan_out is.

  @Test func normalHasVarianceTwoOverFanIn() {
    let w = fillTwice(HeNormal(), fanIn: 250, fanOut: 200)
    expectMoments(of: w, mean: 0, variance: 2.0 / 250, kurtosis: 3)
    #expect(HeNormal().name == "he_normal")
  }

  @Test func uniformHasLimitSqrtSixOverFanIn() {
    let w = fillTwice(HeUniform(), fanIn: 250, fanOut: 200, as: Float.self)
    let limit = Float((6.0 / 250).squareRoot())
    #expect(w.scalars.allSatisfy { abs($0) <= limit })
    expectMoments(of: w, mean: 0, variance: 2.0 / 250, kurtosis: 9.0 / 5)
    #expect(HeUniform().name == "he_uniform")
  }

  @Test func fanOutDoesNotMatter() {
    let a = Matrix<Double>(rows: 10, cols: 20)
    let b = Matrix<Double>(rows: 10, cols: 20)
    var first = SeededGenerator(seed: 1)
    var second = SeededGenerator(seed: 1)
    HeNormal().fill(a, fanIn: 20, fanOut: 10, using: &first)
    HeNormal().fill(b, fanIn: 20, fanOut: 999, using: &second)
    #expect(a.elementsEqual(b))
  }
}
