import NNProtocols

/// The perceptron figure's points: uniform random points of the plane, labelled by the four regions
/// s1…s4 that the lines x1 = 1 and x2 = 1 cut it into.
///
/// ```
///   x2
///    │  s3  │  s4          s1: x1 < 1 and x2 < 1
///  1 ┼──────┼──────        s2: x1 ≥ 1 and x2 < 1
///    │  s1  │  s2          s3: x1 < 1 and x2 ≥ 1
///    └──────┼────── x1     s4: x1 ≥ 1 and x2 ≥ 1
///           1
/// ```
/// A point exactly on a line belongs to the side ≥ 1. With `labels = .regions` the target is the region
/// as a class (indices 0…3, names `s1`…`s4`); with `.conjunction` it is the hand-set perceptron
/// network's output, a regression column holding +1 in s4 and −1 in s1, s2 and s3.
public struct RegionsGenerator: Sendable {
  /// What the target holds.
  public enum Labels: String, Sendable, CaseIterable {
    /// The region, as a class `s1`…`s4`.
    case regions
    /// +1 in s4, −1 elsewhere (a regression target).
    case conjunction
  }

  /// The number of points. Default 200.
  public var count: Int
  /// The points' coordinates are drawn uniformly from `[lower, upper)`; it must contain 1.
  /// Default −1…3.
  public var lower: Double
  /// See `lower`. Default 3.
  public var upper: Double
  /// Default `.regions`.
  public var labels: Labels
  /// The seed of the points. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    count: Int = 200, lower: Double = -1, upper: Double = 3, labels: Labels = .regions,
    seed: UInt64 = 0
  ) {
    self.count = count
    self.lower = lower
    self.upper = upper
    self.labels = labels
    self.seed = seed
  }

  /// The region (0 for s1 … 3 for s4) of a point: `(x1 ≥ 1 ? 1 : 0) + (x2 ≥ 1 ? 2 : 0)`.
  public static func region(_ x1: Double, _ x2: Double) -> Int {
    (x1 >= 1 ? 1 : 0) + (x2 >= 1 ? 2 : 0)
  }

  /// The points and their labels.
  public func generate() throws -> Dataset {
    guard count >= 1 else { throw InputError("regions: count must be ≥ 1, got \(count)") }
    guard lower.isFinite, upper.isFinite, lower < 1, upper > 1 else {
      throw InputError(
        "regions: range \(formatReal(lower)),\(formatReal(upper)) must contain 1 (where the lines"
          + " x1 = 1 and x2 = 1 cross), e.g. -1,3")
    }
    var generator = SeededGenerator(seed: seed)
    let features = Matrix<Double>(rows: count, cols: 2)
    let targets = Matrix<Double>(rows: count, cols: 1)
    for i in 0..<count {
      let x1 = generator.uniform(lower, upper)
      let x2 = generator.uniform(lower, upper)
      features[i, 0] = x1
      features[i, 1] = x2
      let region = Self.region(x1, x2)
      targets[i, 0] = labels == .regions ? Double(region) : (region == 3 ? 1 : -1)
    }
    return Dataset(
      name: "regions", features: features, targets: targets, featureNames: ["x1", "x2"],
      targetNames: [labels == .regions ? "region" : "y"],
      classNames: labels == .regions ? ["s1", "s2", "s3", "s4"] : nil)
  }
}
