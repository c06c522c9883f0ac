import Foundation
import NNProtocols

/// The first tutorial's data: `y = sin x` on an evenly spaced grid, optionally with Gaussian noise.
///
/// The grid is `xᵢ = start + i·step` for `i = 0, 1, …` while `xᵢ < stop` (NumPy's
/// `np.arange(start, stop, step)`, each point computed from `i` rather than by repeated addition, so no
/// error accumulates). The defaults give the tutorial's x = −5, −4.9, …, 4.9: 100 samples.
/// With `count`, the grid has `count` points with `step = (stop − start)/count`.
/// Then `yᵢ = sin xᵢ + noise·εᵢ` with `εᵢ ~ N(0, 1)` drawn from the seeded generator.
public struct SineGenerator: DataGenerator {
  /// The first x. Default −5.
  public var start: Double
  /// The end of the range, excluded. Default 5.
  public var stop: Double
  /// The spacing of the grid. Default 0.1.
  public var step: Double
  /// The number of samples, replacing `step` when given. Default `nil`.
  public var count: Int?
  /// The standard deviation of the noise added to y. Default 0.
  public var noise: Double
  /// The seed of the noise. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    start: Double = -5, stop: Double = 5, step: Double = 0.1, count: Int? = nil, noise: Double = 0,
    seed: UInt64 = 0
  ) {
    self.start = start
    self.stop = stop
    self.step = step
    self.count = count
    self.noise = noise
    self.seed = seed
  }

  /// The samples the settings ask for: `count`, or the number of `i` with `start + i·step < stop`.
  ///
  /// - Throws: `InputError` for an empty or infinite range, a count below 1 or a step that is not
  ///   > 0. A count too large for `Int` saturates at `Int.max` (a memory check refuses it).
  public func sampleCount() throws -> Int {
    guard start.isFinite, stop.isFinite, stop > start else {
      throw InputError(
        "sine: stop (\(formatReal(stop))) must be greater than start (\(formatReal(start)))")
    }
    guard (stop - start).isFinite else {
      throw InputError(
        "sine: the range from start (\(formatReal(start))) to stop (\(formatReal(stop))) is wider"
          + " than a double can hold")
    }
    if let count {
      guard count >= 1 else { throw InputError("sine: count must be ≥ 1, got \(count)") }
      return count
    }
    guard step.isFinite, step > 0 else {
      throw InputError("sine: step must be a number > 0, got \(formatReal(step))")
    }
    // The number of i with start + i·step < stop, with a little slack so that a rounding error in
    // (stop − start)/step (e.g. 99.99999999999999) does not add or lose a point. Computed in Double:
    // a tiny step gives more points than Int holds (`Int.max` then).
    let points = ((stop - start) / step - 1e-9).rounded(.up)
    return points < 0x1p63 ? Int(points) : Int.max
  }

  /// The x of sample `i`: `start + i·spacing`, where the spacing is `step`, or `(stop − start)/count`
  /// with `count`.
  func point(_ i: Int) -> Double {
    let spacing = count.map { (stop - start) / Double($0) } ?? step
    return start + Double(i) * spacing
  }

  /// The x grid: `start + i·step` below `stop`, or `count` points.
  public func grid() throws -> [Double] {
    let samples = try sampleCount()
    try requireRepresentable(GeneratedShape(samples: samples, inputs: 1), "sine")
    return (0..<samples).map(point)
  }

  /// One input x and one regression target y per sample, checking every setting.
  public func shape() throws -> GeneratedShape {
    guard noise.isFinite, noise >= 0 else {
      throw InputError("sine: noise must be ≥ 0, got \(formatReal(noise))")
    }
    return GeneratedShape(samples: try sampleCount(), inputs: 1)
  }

  /// The data set: one input x, one regression target y.
  public func generate() throws -> Dataset {
    let shape = try shape()
    try requireRepresentable(shape, "sine")
    let features = Matrix<Double>(rows: shape.samples, cols: 1)
    let targets = Matrix<Double>(rows: shape.samples, cols: 1)
    var generator = SeededGenerator(seed: seed)
    for i in 0..<shape.samples {
      let x = point(i)
      features[i, 0] = x
      targets[i, 0] = noise > 0 ? sin(x) + noise * generator.normal() : sin(x)
    }
    return Dataset(
      name: "sine", features: features, targets: targets, featureNames: ["x"], targetNames: ["y"])
  }
}
