import NNDatasets
import NNProtocols
import Testing

@Suite("linear generator")
struct LinearGeneratorTests {
  @Test func noiselessPointsLieOnTheLine() throws {
    let data = try LinearGenerator(
      slope: -3, intercept: 0.5, count: 50, noise: 0, lower: 2, upper: 4
    )
    .generate()
    #expect(data.features.shape == [50, 1])
    for row in 0..<data.count {
      let x = data.features[row, 0]
      #expect(x >= 2 && x < 4)
      #expect(data.targets[row, 0] == -3 * x + 0.5)
    }
  }

  @Test func leastSquaresRecoversSlopeAndIntercept() throws {
    let data = try LinearGenerator(count: 10_000, seed: 5).generate()
    let xs = column(data.features, 0)
    let ys = column(data.targets, 0)
    let n = Double(xs.count)
    let (mx, my) = (xs.reduce(0, +) / n, ys.reduce(0, +) / n)
    let covariance: Double = zip(xs, ys).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
    let variance: Double = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
    let slope = covariance / variance
    #expect(abs(slope - 2) < 0.01)
    #expect(abs(my - slope * mx - 1) < 0.01)
  }

  @Test func seeded() throws {
    try expectSeeded { try LinearGenerator(seed: $0).generate() }
  }
}
