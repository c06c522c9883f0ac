import NNDatasets
import NNProtocols
import Testing

@Suite("circles generator")
struct CirclesGeneratorTests {
  @Test func shapeAndBalance() throws {
    let data = try CirclesGenerator().generate()
    #expect(data.features.shape == [200, 2])
    #expect(data.targets.shape == [200, 1])
    #expect(data.classNames == ["outer", "inner"])
    #expect(classCounts(data) == [100, 100])
    #expect(classCounts(try CirclesGenerator(count: 7).generate()) == [3, 4])
  }

  @Test func radiiAreOneAndFactor() throws {
    let data = try CirclesGenerator(count: 100, noise: 0, factor: 0.3).generate()
    for row in 0..<data.count {
      let radius =
        (data.features[row, 0] * data.features[row, 0]
        + data.features[row, 1] * data.features[row, 1]).squareRoot()
      #expect(abs(radius - (data.targets[row, 0] == 0 ? 1 : 0.3)) < 1e-12)
    }
  }

  @Test func seeded() throws {
    try expectSeeded { try CirclesGenerator(seed: $0).generate() }
  }

  @Test func factorMustBeBelowOne() {
    #expect(
      inputError { try CirclesGenerator(factor: 1).generate() }?.message
        == "circles: factor must be in (0, 1), got 1")
  }
}
