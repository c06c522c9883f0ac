import NNProtocols

/// A straight line with noise, the smallest regression there is: `y = slope·x + intercept + noise·ε`.
///
/// `x` is drawn uniformly from `[lower, upper)` and `ε ~ N(0, 1)`, both from the seeded generator.
public struct LinearGenerator: DataGenerator {
  /// `a` in `y = a·x + b`. Default 2.
  public var slope: Double
  /// `b` in `y = a·x + b`. Default 1.
  public var intercept: Double
  /// The number of samples. Default 100.
  public var count: Int
  /// The standard deviation of the noise on y. Default 0.1.
  public var noise: Double
  /// The range x is drawn from. Default −1.
  public var lower: Double
  /// See `lower`. Default 1.
  public var upper: Double
  /// The seed of x and the noise. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    slope: Double = 2, intercept: Double = 1, count: Int = 100, noise: Double = 0.1,
    lower: Double = -1, upper: Double = 1, seed: UInt64 = 0
  ) {
    self.slope = slope
    self.intercept = intercept
    self.count = count
    self.noise = noise
    self.lower = lower
    self.upper = upper
    self.seed = seed
  }

  /// `count` samples of one input x and one regression target y, checking every setting.
  public func shape() throws -> GeneratedShape {
    guard count >= 1 else { throw InputError("linear: count must be ≥ 1, got \(count)") }
    guard noise.isFinite, noise >= 0 else {
      throw InputError("linear: noise must be ≥ 0, got \(formatReal(noise))")
    }
    guard lower.isFinite, upper.isFinite, lower < upper else {
      throw InputError(
        "linear: range \(formatReal(lower)),\(formatReal(upper)) must run from a lower to a higher"
          + " number")
    }
    return GeneratedShape(samples: count, inputs: 1)
  }

  /// The samples: one input x, one regression target y.
  public func generate() throws -> Dataset {
    try requireRepresentable(try shape(), "linear")
    var generator = SeededGenerator(seed: seed)
    let features = Matrix<Double>(rows: count, cols: 1)
    let targets = Matrix<Double>(rows: count, cols: 1)
    for i in 0..<count {
      let x = generator.uniform(lower, upper)
      features[i, 0] = x
      targets[i, 0] = slope * x + intercept + noise * generator.normal()
    }
    return Dataset(
      name: "linear", features: features, targets: targets, featureNames: ["x"], targetNames: ["y"])
  }
}
