import NNLayers
import NNProtocols
import Testing

@Suite("fan-scaled initializers")
struct FanScaledInitializerTests {
  /// A user-written member of the family: spread 0.5 whatever the fans, uniform or normal.
  struct HalfSpread: FanScaledInitializer {
    var isUniform: Bool
    var name: String { "half_spread" }
    func spread(fanIn: Int, fanOut: Int) -> Double { 0.5 }
  }

  @Test func uniformStaysInsideTheSpread() {
    let w = fillTwice(HalfSpread(isUniform: true), fanIn: 300, fanOut: 200)
    #expect(w.scalars.allSatisfy { abs($0) <= 0.5 })
    // U[−0.5, 0.5): variance 0.5²/3.
    expectMoments(of: w, mean: 0, variance: 0.25 / 3, kurtosis: 9.0 / 5)
  }

  @Test func normalHasTheSpreadAsStandardDeviation() {
    let w = fillTwice(HalfSpread(isUniform: false), fanIn: 300, fanOut: 200)
    #expect(w.scalars.contains { abs($0) > 0.5 })
    expectMoments(of: w, mean: 0, variance: 0.25, kurtosis: 3)
  }

  @Test func builtinsStateTheirDistributionAndSpread() {
    #expect(GlorotUniform().isUniform && HeUniform().isUniform)
    #expect(!GlorotNormal().isUniform && !HeNormal().isUniform)
    #expect(GlorotUniform().spread(fanIn: 2, fanOut: 4) == 1)  // √(6/6)
    #expect(GlorotNormal().spread(fanIn: 6, fanOut: 2) == 0.5)  // √(2/8)
    #expect(HeUniform().spread(fanIn: 6, fanOut: 99) == 1)  // √(6/6)
    #expect(HeNormal().spread(fanIn: 8, fanOut: 99) == 0.5)  // √(2/8)
  }
}
