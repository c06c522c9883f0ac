import NNDatasets
import NNProtocols
import Testing

@Suite("shuffle")
struct PreprocessingShuffleTests {
  @Test func shuffleIsAPermutationFixedByTheSeed() {
    var a = SeededGenerator(seed: 3)
    var b = SeededGenerator(seed: 3)
    var c = SeededGenerator(seed: 4)
    let first = Preprocessing.shuffledIndices(count: 50, using: &a)
    #expect(first.sorted() == Array(0..<50))
    #expect(first != Array(0..<50))
    #expect(Preprocessing.shuffledIndices(count: 50, using: &b) == first)
    #expect(Preprocessing.shuffledIndices(count: 50, using: &c) != first)
  }

  @Test func everyOrderIsAboutEquallyLikely() {
    // 3 elements: 6 orders, each expected 1/6 of 60 000 draws.
    var generator = SeededGenerator(seed: 9)
    var counts: [[Int]: Int] = [:]
    for _ in 0..<60_000 {
      counts[Preprocessing.shuffledIndices(count: 3, using: &generator), default: 0] += 1
    }
    #expect(counts.count == 6)
    #expect(counts.values.allSatisfy { abs($0 - 10_000) < 400 })
  }

  @Test func shufflingADatasetKeepsSamplesWhole() {
    let data = Dataset(
      name: "d", features: Matrix([[0, 0], [1, 10], [2, 20], [3, 30]]),
      targets: Matrix([[0], [100], [200], [300]]))
    var generator = SeededGenerator(seed: 1)
    let shuffled = Preprocessing.shuffle(data, using: &generator)
    #expect(shuffled.count == 4)
    for row in 0..<4 {
      let k = shuffled.features[row, 0]
      #expect(shuffled.features[row, 1] == 10 * k)
      #expect(shuffled.targets[row, 0] == 100 * k)
    }
  }

  @Test func randomIndexStaysBelowTheBound() {
    var generator = SeededGenerator(seed: 2)
    var seen = Set<Int>()
    for _ in 0..<1000 {
      let index = Preprocessing.randomIndex(below: 7, using: &generator)
      #expect(index >= 0 && index < 7)
      seen.insert(index)
    }
    #expect(seen.count == 7)
  }
}
