import NNDatasets
import NNProtocols
import Testing

@Suite("regions generator")
struct RegionsGeneratorTests {
  @Test func regionsOnEachSideOfTheLines() {
    // p1 = x1 + x2 − 1, p2 = 1 − x2.
    #expect(RegionsGenerator.region(-2, 2) == 0)  // s1: p1 = −1, p2 = −1
    #expect(RegionsGenerator.region(0, 0) == 1)  // s2: p1 = −1, p2 = +1
    #expect(RegionsGenerator.region(1, 3) == 2)  // s3: p1 = +1, p2 = −1
    #expect(RegionsGenerator.region(2, 0) == 3)  // s4: p1 = +1, p2 = +1
    // On a line the tie goes to −1, as the tutorial's sign does.
    #expect(RegionsGenerator.region(0.5, 0.5) == 1)  // x1 + x2 = 1: p1 ties
    #expect(RegionsGenerator.region(2, 1) == 2)  // x2 = 1: p2 ties
  }

  @Test func everyPointIsLabelledByItsQuadrant() throws {
    let data = try RegionsGenerator(count: 500, seed: 3).generate()
    #expect(data.classNames == ["s1", "s2", "s3", "s4"])
    #expect(data.count == 500)
    for row in 0..<data.count {
      let (x1, x2) = (data.features[row, 0], data.features[row, 1])
      #expect(x1 >= -1 && x1 < 3 && x2 >= -1 && x2 < 3)
      let (p1, p2) = (x1 + x2 - 1 > 0, 1 - x2 > 0)
      let expected = p1 ? (p2 ? "s4" : "s3") : (p2 ? "s2" : "s1")
      #expect(data.classNames![Int(data.targets[row, 0])] == expected)
    }
    // Areas in the default square −1…3 (16 in all): s1 0.5 (the corner above x2 = 1 left of
    // x1 + x2 = 1), s2 4, s3 7.5, s4 4.
    let expectedShares = [0.5, 4, 7.5, 4].map { $0 / 16 * 500 }
    for (count, share) in zip(classCounts(data), expectedShares) {
      #expect(abs(Double(count) - share) < 45, "\(count) vs \(share)")
    }
  }

  @Test func conjunctionIsPlusOneOnlyInS4() throws {
    let data = try RegionsGenerator(count: 300, labels: .conjunction, seed: 4).generate()
    #expect(data.classNames == nil)
    for row in 0..<data.count {
      let (x1, x2) = (data.features[row, 0], data.features[row, 1])
      let inS4 = x1 + x2 > 1 && x2 < 1
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
        == "regions: range 2,3 must contain 0 and 1 (the lines x1 + x2 = 1 and x2 = 1 cross at (0, 1)), e.g. -1,3"
    )
  }

  @Test func constantAddsAColumnOfOnes() throws {
    let data = try RegionsGenerator(count: 20, seed: 5, constant: true).generate()
    #expect(data.inputSize == 3)
    #expect(data.featureNames == ["x1", "x2", "one"])
    #expect((0..<20).allSatisfy { data.features[$0, 2] == 1 })
  }
}
