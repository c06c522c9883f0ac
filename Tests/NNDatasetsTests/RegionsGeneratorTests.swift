import NNDatasets
import NNProtocols
import Testing

@Suite("regions generator")
struct RegionsGeneratorTests {
  @Test func regionsOnEachSideOfTheLines() {
    #expect(RegionsGenerator.region(0.5, 0.5) == 0)  // s1
    #expect(RegionsGenerator.region(1.5, 0.5) == 1)  // s2
    #expect(RegionsGenerator.region(0.5, 1.5) == 2)  // s3
    #expect(RegionsGenerator.region(1.5, 1.5) == 3)  // s4
    // On a line: the side ≥ 1.
    #expect(RegionsGenerator.region(1, 0.999) == 1)
    #expect(RegionsGenerator.region(0.999, 1) == 2)
    #expect(RegionsGenerator.region(1, 1) == 3)
  }

  @Test func everyPointIsLabelledByItsQuadrant() throws {
    let data = try RegionsGenerator(count: 500, seed: 3).generate()
    #expect(data.classNames == ["s1", "s2", "s3", "s4"])
    #expect(data.count == 500)
    for row in 0..<data.count {
      let (x1, x2) = (data.features[row, 0], data.features[row, 1])
      #expect(x1 >= -1 && x1 < 3 && x2 >= -1 && x2 < 3)
      let expected = x1 < 1 ? (x2 < 1 ? "s1" : "s3") : (x2 < 1 ? "s2" : "s4")
      #expect(data.classNames![Int(data.targets[row, 0])] == expected)
    }
    // The default square (-1…3) puts a quarter of the points in each region, on average.
    #expect(classCounts(data).allSatisfy { $0 > 90 && $0 < 160 })
  }

  @Test func conjunctionIsPlusOneOnlyInS4() throws {
    let data = try RegionsGenerator(count: 300, labels: .conjunction, seed: 4).generate()
    #expect(data.classNames == nil)
    for row in 0..<data.count {
      let inS4 = data.features[row, 0] >= 1 && data.features[row, 1] >= 1
      #expect(data.targets[row, 0] == (inS4 ? 1 : -1))
    }
  }

  @Test func seedDecidesThePoints() throws {
    let a = try RegionsGenerator(seed: 1).generate()
    #expect(a.features.elementsEqual(try RegionsGenerator(seed: 1).generate().features))
    #expect(!a.features.elementsEqual(try RegionsGenerator(seed: 2).generate().features))
  }

  @Test func rangeMustContainTheCrossing() {
    #expect(
      inputError { try RegionsGenerator(lower: 2, upper: 3).generate() }?.message
        == "regions: range 2,3 must contain 1 (where the lines x1 = 1 and x2 = 1 cross), e.g. -1,3")
  }
}
