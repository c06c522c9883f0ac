import Foundation
import NNDatasets
import NNProtocols
import Testing

@Suite("moons generator")
struct MoonsGeneratorTests {
  @Test func shapeAndBalance() throws {
    let data = try MoonsGenerator().generate()
    #expect(data.features.shape == [200, 2])
    #expect(data.classNames == ["upper", "lower"])
    #expect(classCounts(data) == [100, 100])
    #expect(classCounts(try MoonsGenerator(count: 9).generate()) == [4, 5])
  }

  @Test func noiselessPointsLieOnTheHalfCircles() throws {
    let data = try MoonsGenerator(count: 50, noise: 0).generate()
    for row in 0..<data.count {
      var (x, y) = (data.features[row, 0], data.features[row, 1])
      if data.targets[row, 0] == 1 { (x, y) = (1 - x, 0.5 - y) }  // the lower moon, mirrored back
      #expect(abs((x * x + y * y).squareRoot() - 1) < 1e-12)
      #expect(y >= -1e-12)
    }
  }

  @Test func seeded() throws {
    try expectSeeded { try MoonsGenerator(seed: $0).generate() }
  }
}
