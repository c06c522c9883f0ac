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
    let shape = try twoCurveShape("circles", count: count, noise: noise)
    guard factor > 0, factor < 1 else {
      throw InputError("circles: factor must be in (0, 1), got \(formatReal(factor))")
    }
    return shape
  }

  /// The points, outer circle first.
  public func generate() throws -> Dataset {
    try requireRepresentable(try shape(), "circles")
    return twoCurveDataset(
      "circles", count: count, noise: noise, seed: seed, classNames: ["outer", "inner"]
    ) { label, i, n in
      let radius = label == 0 ? 1.0 : factor
      let angle = 2 * Double.pi * Double(i) / Double(n)
      return (radius * cos(angle), radius * sin(angle))
    }
  }
}
