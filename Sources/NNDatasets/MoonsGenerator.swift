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
    try twoCurveShape("moons", count: count, noise: noise)
  }

  /// The points, upper moon first.
  public func generate() throws -> Dataset {
    try requireRepresentable(try shape(), "moons")
    return twoCurveDataset(
      "moons", count: count, noise: noise, seed: seed, classNames: ["upper", "lower"]
    ) { label, i, n in
      let t = n == 1 ? 0 : Double.pi * Double(i) / Double(n - 1)
      return label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 1 - sin(t) - 0.5)
    }
  }
}
