import Foundation
import NNDatasets
import NNProtocols
import Testing

@Suite("spirals generator")
struct SpiralsGeneratorTests {
  @Test func shapeAndBalance() throws {
    let data = try SpiralsGenerator().generate()
    #expect(data.features.shape == [300, 2])
    #expect(data.classNames == ["arm1", "arm2", "arm3"])
    #expect(classCounts(data) == [100, 100, 100])
    let five = try SpiralsGenerator(classes: 5, count: 20).generate()
    #expect(classCounts(five) == [20, 20, 20, 20, 20])
  }

  @Test func noiselessArmsFollowTheFormula() throws {
    let data = try SpiralsGenerator(classes: 2, count: 10, noise: 0, turns: 0.5).generate()
    for row in 0..<data.count {
      let (arm, i) = (row / 10, row % 10)
      let r = Double(i + 1) / 10
      let angle = 2 * Double.pi * (0.5 * r + Double(arm) / 2)
      #expect(abs(data.features[row, 0] - r * cos(angle)) < 1e-12)
      #expect(abs(data.features[row, 1] - r * sin(angle)) < 1e-12)
      #expect(data.targets[row, 0] == Double(arm))
    }
  }

  @Test func seeded() throws {
    try expectSeeded { try SpiralsGenerator(seed: $0).generate() }
  }
}
