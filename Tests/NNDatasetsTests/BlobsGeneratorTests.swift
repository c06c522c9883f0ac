import NNDatasets
import NNProtocols
import Testing

@Suite("blobs generator")
struct BlobsGeneratorTests {
  @Test func shapeAndBalance() throws {
    let data = try BlobsGenerator().generate()
    #expect(data.features.shape == [300, 2])
    #expect(classCounts(data) == [100, 100, 100])
    let uneven = try BlobsGenerator(classes: 4, count: 10, dimensions: 5).generate()
    #expect(uneven.features.shape == [10, 5])
    #expect(classCounts(uneven) == [3, 3, 2, 2])
  }

  @Test func clustersHaveTheRequestedSpread() throws {
    let data = try BlobsGenerator(classes: 2, count: 20_000, std: 0.5, seed: 3).generate()
    for label in 0..<2 {
      let rows = (0..<data.count).filter { data.targets[$0, 0] == Double(label) }
      let xs = rows.map { data.features[$0, 0] }
      let mean = xs.reduce(0, +) / Double(xs.count)
      let std = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)).squareRoot()
      #expect(abs(std - 0.5) < 0.02)
      #expect(abs(mean) <= 10.1)
    }
  }

  @Test func seeded() throws {
    try expectSeeded { try BlobsGenerator(seed: $0).generate() }
  }
}
