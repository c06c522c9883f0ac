import Foundation
import NNProtocols

/// Interleaved spiral arms, one class per arm (the CS231n spiral data set, generalised).
///
/// For arm `j` of `k` and point `i` of `n`: the radius `r = (i + 1)/n` grows from near the centre to 1,
/// and the angle `θ = 2π·(turns·r + j/k) + noise·ε` with `ε ~ N(0, 1)`, so each arm winds `turns` times
/// and the arms start `2π/k` apart; the point is `r·(cos θ, sin θ)`. The noise is on the angle, in
/// radians, so it blurs the arms most far from the centre.
public struct SpiralsGenerator: DataGenerator {
  /// The number of arms, one class each. Default 3.
  public var classes: Int
  /// Points per arm. Default 100.
  public var count: Int
  /// The standard deviation of the angle's noise, in radians. Default 0.2.
  public var noise: Double
  /// Turns of each arm. Default 1.
  public var turns: Double
  /// The seed of the noise. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    classes: Int = 3, count: Int = 100, noise: Double = 0.2, turns: Double = 1, seed: UInt64 = 0
  ) {
    self.classes = classes
    self.count = count
    self.noise = noise
    self.turns = turns
    self.seed = seed
  }

  /// `classes · count` points (`Int.max` if that overflows) of 2 features and a class index,
  /// checking every setting.
  public func shape() throws -> GeneratedShape {
    guard classes >= 2 else { throw InputError("spirals: classes must be ≥ 2, got \(classes)") }
    guard count >= 1 else { throw InputError("spirals: count must be ≥ 1, got \(count)") }
    guard noise.isFinite, noise >= 0 else {
      throw InputError("spirals: noise must be ≥ 0, got \(formatReal(noise))")
    }
    guard turns.isFinite, turns > 0 else {
      throw InputError("spirals: turns must be > 0, got \(formatReal(turns))")
    }
    return GeneratedShape(
      samples: GeneratedShape.saturatingProduct(classes, count), inputs: 2, classes: classes)
  }

  /// The points, arm by arm.
  public func generate() throws -> Dataset {
    let shape = try shape()
    try requireRepresentable(shape, "spirals")
    var generator = SeededGenerator(seed: seed)
    let total = shape.samples
    let features = Matrix<Double>(rows: total, cols: 2)
    let targets = Matrix<Double>(rows: total, cols: 1)
    for arm in 0..<classes {
      for i in 0..<count {
        let row = arm * count + i
        let r = Double(i + 1) / Double(count)
        let angle =
          2 * Double.pi * (turns * r + Double(arm) / Double(classes)) + noise * generator.normal()
        features[row, 0] = r * cos(angle)
        features[row, 1] = r * sin(angle)
        targets[row, 0] = Double(arm)
      }
    }
    return Dataset(
      name: "spirals", features: features, targets: targets, featureNames: ["x1", "x2"],
      targetNames: ["class"], classNames: (1...classes).map { "arm\($0)" })
  }
}
