import Foundation
import NNProtocols

/// The first tutorial's data: `y = sin x` on an evenly spaced grid, optionally with Gaussian noise.
///
/// The grid is `xᵢ = start + i·step` for `i = 0, 1, …` while `xᵢ < stop` (NumPy's
/// `np.arange(start, stop, step)`, each point computed from `i` rather than by repeated addition, so no
/// error accumulates). The defaults give the tutorial's x = −5, −4.9, …, 4.9: 100 samples.
/// With `count`, the grid has `count` points with `step = (stop − start)/count`.
/// Then `yᵢ = sin xᵢ + noise·εᵢ` with `εᵢ ~ N(0, 1)` drawn from the seeded generator.
public struct SineGenerator: Sendable {
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

  /// The x grid: `start + i·step` below `stop`, or `count` points.
  public func grid() throws -> [Double] {
    guard start.isFinite, stop.isFinite, stop > start else {
      throw InputError(
        "sine: stop (\(formatReal(stop))) must be greater than start (\(formatReal(start)))")
    }
    if let count {
      guard count >= 1 else { throw InputError("sine: count must be ≥ 1, got \(count)") }
      let spacing = (stop - start) / Double(count)
      return (0..<count).map { start + Double($0) * spacing }
    }
    guard step.isFinite, step > 0 else {
      throw InputError("sine: step must be a number > 0, got \(formatReal(step))")
    }
    // The number of i with start + i·step < stop, with a little slack so that a rounding error in
    // (stop − start)/step (e.g. 99.99999999999999) does not add or lose a point.
    let samples = Int(((stop - start) / step - 1e-9).rounded(.up))
    guard samples <= 100_000_000 else {
      throw InputError("sine: \(samples) samples is too many; expected at most 100 000 000")
    }
    return (0..<samples).map { start + Double($0) * step }
  }

  /// The data set: one input x, one regression target y.
  public func generate() throws -> Dataset {
    guard noise.isFinite, noise >= 0 else {
      throw InputError("sine: noise must be ≥ 0, got \(formatReal(noise))")
    }
    let xs = try grid()
    var generator = SeededGenerator(seed: seed)
    let ys = xs.map { x in noise > 0 ? sin(x) + noise * generator.normal() : sin(x) }
    return Dataset(
      name: "sine", features: Matrix(rows: xs.count, cols: 1, scalars: xs),
      targets: Matrix(rows: ys.count, cols: 1, scalars: ys), featureNames: ["x"],
      targetNames: ["y"])
  }
}
