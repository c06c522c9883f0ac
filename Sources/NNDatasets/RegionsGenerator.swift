import NNProtocols

/// The second tutorial's perceptron figure: uniform random points of the plane, labelled by the four
/// regions s1…s4 that the two perceptrons' lines cut it into.
///
/// The tutorial's first layer computes `[p1 p2] = sign([x1 x2 1]·[[1, 0], [1, −1], [−1, 1]])`, that is
/// `p1 = sign(x1 + x2 − 1)` and `p2 = sign(1 − x2)`: the lines are `x1 + x2 = 1` and `x2 = 1`, and
/// each region is a pair of signs (a tie, a point on a line, goes to −1 as the tutorial's sign does):
/// ```
///   x2    \                      s1: p1 = −1, p2 = −1  (x1 + x2 ≤ 1, x2 ≥ 1)
///    │  s1 \   s3                s2: p1 = −1, p2 = +1  (x1 + x2 ≤ 1, x2 < 1)
///  1 ┼──────\──────              s3: p1 = +1, p2 = −1  (x1 + x2 > 1, x2 ≥ 1)
///    │  s2   \  s4               s4: p1 = +1, p2 = +1  (x1 + x2 > 1, x2 < 1)
///    └────────\──── x1
/// ```
/// With `labels = .regions` the target is the region as a class (indices 0…3, names `s1`…`s4`); with
/// `.conjunction` it is the hand-set network's output, a regression column holding +1 in s4 (both
/// perceptrons fire) and −1 in s1, s2 and s3. With `constant` a third feature of 1s is appended, the
/// `1` of the tutorial's `[x1 x2 1]` rows.
public struct RegionsGenerator: DataGenerator {
  /// What the target holds.
  public enum Labels: String, Sendable, CaseIterable {
    /// The region, as a class `s1`…`s4`.
    case regions
    /// +1 in s4, −1 elsewhere (a regression target).
    case conjunction
  }

  /// The number of points. Default 200.
  public var count: Int
  /// The points' coordinates are drawn uniformly from `[lower, upper)`; it must contain the lines'
  /// crossing (0, 1): `lower ≤ 0` and `upper > 1`. Default −1…3.
  public var lower: Double
  /// See `lower`. Default 3.
  public var upper: Double
  /// Default `.regions`.
  public var labels: Labels
  /// The seed of the points. Default 0.
  public var seed: UInt64
  /// Append a constant-1 feature column. Default false.
  public var constant: Bool

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    count: Int = 200, lower: Double = -1, upper: Double = 3, labels: Labels = .regions,
    seed: UInt64 = 0, constant: Bool = false
  ) {
    self.constant = constant
    self.count = count
    self.lower = lower
    self.upper = upper
    self.labels = labels
    self.seed = seed
  }

  /// The region (0 for s1 … 3 for s4) of a point: `(p1 > 0 ? 2 : 0) + (p2 > 0 ? 1 : 0)` with
  /// `p1 = x1 + x2 − 1` and `p2 = 1 − x2`.
  public static func region(_ x1: Double, _ x2: Double) -> Int {
    (x1 + x2 - 1 > 0 ? 2 : 0) + (1 - x2 > 0 ? 1 : 0)
  }

  /// `count` points of 2 features (3 with `constant`) and a label: a class index of 4 classes, or
  /// ±1 for the conjunction; checking every setting.
  public func shape() throws -> GeneratedShape {
    guard count >= 1 else { throw InputError("regions: count must be ≥ 1, got \(count)") }
    guard lower.isFinite, upper.isFinite, lower <= 0, upper > 1 else {
      throw InputError(
        "regions: range \(formatReal(lower)),\(formatReal(upper)) must contain 0 and 1 (the lines"
          + " x1 + x2 = 1 and x2 = 1 cross at (0, 1)), e.g. -1,3")
    }
    return GeneratedShape(
      samples: count, inputs: constant ? 3 : 2, classes: labels == .regions ? 4 : nil)
  }

  /// The points and their labels.
  public func generate() throws -> Dataset {
    try requireRepresentable(try shape(), "regions")
    var generator = SeededGenerator(seed: seed)
    let features = Matrix<Double>(rows: count, cols: constant ? 3 : 2)
    let targets = Matrix<Double>(rows: count, cols: 1)
    for i in 0..<count {
      let x1 = generator.uniform(lower, upper)
      let x2 = generator.uniform(lower, upper)
      features[i, 0] = x1
      features[i, 1] = x2
      if constant { features[i, 2] = 1 }
      let region = Self.region(x1, x2)
      targets[i, 0] = labels == .regions ? Double(region) : (region == 3 ? 1 : -1)
    }
    return Dataset(
      name: "regions", features: features, targets: targets,
      featureNames: constant ? ["x1", "x2", "one"] : ["x1", "x2"],
      targetNames: [labels == .regions ? "region" : "y"],
      classNames: labels == .regions ? ["s1", "s2", "s3", "s4"] : nil)
  }
}
