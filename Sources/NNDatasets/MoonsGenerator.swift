import Foundation
import NNProtocols

/// Two interleaving half circles (scikit-learn's `make_moons`).
///
/// `⌊count/2⌋` points on the upper moon `(cos t, sin t)` (class 0, `upper`) and the rest on the lower
/// moon `(1 − cos t, 1 − sin t − 0.5)` (class 1, `lower`), `t` evenly spaced over [0, π]; then every
/// coordinate gets Gaussian noise of standard deviation `noise`.
public struct MoonsGenerator: DataGenerator {
  /// The number of points. Default 200.
  public var count: Int
  /// The standard deviation of the noise on each coordinate. Default 0.1.
  public var noise: Double
  /// The seed of the noise. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(count: Int = 200, noise: Double = 0.1, seed: UInt64 = 0) {
    self.count = count
    self.noise = noise
    self.seed = seed
  }

  /// `count` points of 2 features and a class index (2 classes), checking every setting.
  public func shape() throws -> GeneratedShape {
    guard count >= 2 else { throw InputError("moons: count must be ≥ 2, got \(count)") }
    guard noise.isFinite, noise >= 0 else {
      throw InputError("moons: noise must be ≥ 0, got \(formatReal(noise))")
    }
    return GeneratedShape(samples: count, inputs: 2, classes: 2)
  }

  /// The points, upper moon first.
  public func generate() throws -> Dataset {
    try requireRepresentable(try shape(), "moons")
    var generator = SeededGenerator(seed: seed)
    let upper = count / 2
    let features = Matrix<Double>(rows: count, cols: 2)
    let targets = Matrix<Double>(rows: count, cols: 1)
    for label in 0..<2 {
      let n = label == 0 ? upper : count - upper
      let first = label == 0 ? 0 : upper
      for i in 0..<n {
        let t = n == 1 ? 0 : Double.pi * Double(i) / Double(n - 1)
        let (x, y) = label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 1 - sin(t) - 0.5)
        features[first + i, 0] = x + noise * generator.normal()
        features[first + i, 1] = y + noise * generator.normal()
        targets[first + i, 0] = Double(label)
      }
    }
    return Dataset(
      name: "moons", features: features, targets: targets, featureNames: ["x1", "x2"],
      targetNames: ["class"], classNames: ["upper", "lower"])
  }
}
