import Foundation
import NNProtocols

/// Two concentric circles, a classic set no straight line separates (scikit-learn's `make_circles`).
///
/// `⌊count/2⌋` points on the outer circle of radius 1 (class 0, `outer`) and the rest on the inner
/// circle of radius `factor` (class 1, `inner`), at evenly spaced angles `θᵢ = 2π·i/n`; then every
/// coordinate gets Gaussian noise of standard deviation `noise`.
public struct CirclesGenerator: DataGenerator {
  /// The number of points. Default 200.
  public var count: Int
  /// The standard deviation of the noise on each coordinate. Default 0.05.
  public var noise: Double
  /// The inner circle's radius relative to the outer one, in (0, 1). Default 0.5.
  public var factor: Double
  /// The seed of the noise. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(count: Int = 200, noise: Double = 0.05, factor: Double = 0.5, seed: UInt64 = 0) {
    self.count = count
    self.noise = noise
    self.factor = factor
    self.seed = seed
  }

  /// `count` points of 2 features and a class index (2 classes), checking every setting.
  public func shape() throws -> GeneratedShape {
    guard count >= 2 else { throw InputError("circles: count must be ≥ 2, got \(count)") }
    guard noise.isFinite, noise >= 0 else {
      throw InputError("circles: noise must be ≥ 0, got \(formatReal(noise))")
    }
    guard factor > 0, factor < 1 else {
      throw InputError("circles: factor must be in (0, 1), got \(formatReal(factor))")
    }
    return GeneratedShape(samples: count, inputs: 2, classes: 2)
  }

  /// The points, outer circle first.
  public func generate() throws -> Dataset {
    try requireRepresentable(try shape(), "circles")
    var generator = SeededGenerator(seed: seed)
    let outer = count / 2
    let features = Matrix<Double>(rows: count, cols: 2)
    let targets = Matrix<Double>(rows: count, cols: 1)
    for (label, n, radius) in [(0, outer, 1.0), (1, count - outer, factor)] {
      let first = label == 0 ? 0 : outer
      for i in 0..<n {
        let angle = 2 * Double.pi * Double(i) / Double(n)
        features[first + i, 0] = radius * cos(angle) + noise * generator.normal()
        features[first + i, 1] = radius * sin(angle) + noise * generator.normal()
        targets[first + i, 0] = Double(label)
      }
    }
    return Dataset(
      name: "circles", features: features, targets: targets, featureNames: ["x1", "x2"],
      targetNames: ["class"], classNames: ["outer", "inner"])
  }
}
