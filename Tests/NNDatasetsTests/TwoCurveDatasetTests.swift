import NNProtocols
import Testing

@testable import NNDatasets

@Suite("two-curve datasets")
struct TwoCurveDatasetTests {
  @Test func shapeChecksCountAndNoiseNamingTheSet() throws {
    #expect(try twoCurveShape("demo", count: 2, noise: 0).samples == 2)
    let few = #expect(throws: InputError.self) { try twoCurveShape("demo", count: 1, noise: 0) }
    #expect(few?.description.contains("demo: count must be ≥ 2, got 1") == true)
    let noisy = #expect(throws: InputError.self) {
      try twoCurveShape("demo", count: 10, noise: .infinity)
    }
    #expect(noisy?.description.contains("demo: noise must be ≥ 0") == true)
  }

  @Test func firstHalfIsClassZeroOnItsCurve() {
    // Without noise every point is exactly on its curve: class 0 at (i, n), class 1 at (−i, −n).
    let data = twoCurveDataset("demo", count: 5, noise: 0, seed: 1, classNames: ["a", "b"]) {
      label, i, n in
      label == 0 ? (Double(i), Double(n)) : (-Double(i), -Double(n))
    }
    #expect(data.name == "demo" && data.classNames == ["a", "b"])
    #expect(data.features.scalars == [0, 2, 1, 2, 0, -3, -1, -3, -2, -3])
    #expect(data.targets.scalars == [0, 0, 1, 1, 1])
  }

  @Test func noiseIsDrawnFromTheSeed() {
    func points(seed: UInt64) -> [Double] {
      twoCurveDataset("demo", count: 6, noise: 0.1, seed: seed, classNames: ["a", "b"]) { _, _, _ in
        (0, 0)
      }.features.scalars
    }
    #expect(points(seed: 3) == points(seed: 3))
    #expect(points(seed: 3) != points(seed: 4))
    #expect(points(seed: 3).allSatisfy { $0 != 0 })
  }
}
