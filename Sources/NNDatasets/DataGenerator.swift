import NNProtocols

/// The size of a generated data set, known from a generator's settings before anything is allocated,
/// so that a program can refuse an absurd size (`data sine count=100000000000`) with an estimate
/// instead of crashing when the allocation fails.
public struct GeneratedShape: Sendable, Equatable {
  /// The number of samples (rows); `Int.max` when the settings' product overflows `Int`.
  public var samples: Int
  /// Feature columns per sample.
  public var inputs: Int
  /// Target columns per sample (a class index is one column).
  public var targets: Int
  /// The number of classes of a classification set; `nil` for regression.
  public var classes: Int?

  /// A shape of `samples` rows of `inputs` features and `targets` target columns, with `classes`
  /// classes (`nil`: regression).
  public init(samples: Int, inputs: Int, targets: Int = 1, classes: Int? = nil) {
    self.samples = samples
    self.inputs = inputs
    self.targets = targets
    self.classes = classes
  }

  /// The bytes of the features and targets in double precision, `samples·(inputs + targets)·8`,
  /// computed in `Double` so that it never overflows.
  public var bytes: Double { Double(samples) * (Double(inputs) + Double(targets)) * 8 }

  /// `a·b`, or `Int.max` when it overflows: a sample count that stays an honest "too many".
  static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : product
  }
}

/// A data set made from settings alone (no file), whose shape is known before it is made.
///
/// `shape()` checks the settings and computes the size without allocating; `generate()` checks the
/// same settings (with the same messages) and makes the data. A program that takes its settings from
/// a user (`ModelRunner.prepare`) asks for the shape first and refuses a size the machine cannot
/// hold; `generate()` itself allocates what it is asked for.
public protocol DataGenerator: Sendable {
  /// The samples, features, targets and classes `generate()` makes, from the settings alone.
  ///
  /// - Throws: `InputError` for invalid settings (a count below the minimum, an empty range, …).
  func shape() throws -> GeneratedShape

  /// The data set.
  ///
  /// - Throws: `InputError` for invalid settings, as `shape()`.
  func generate() throws -> Dataset
}

/// Refuses a shape whose element count overflows `Int`, so that `generate()` throws instead of
/// trapping in `rows × cols` when a program skipped the size check.
func requireRepresentable(_ shape: GeneratedShape, _ name: String) throws {
  let (_, overflow) = shape.samples.multipliedReportingOverflow(
    by: max(shape.inputs, shape.targets))
  guard shape.samples < Int.max, !overflow else {
    throw InputError("\(name): the settings ask for more samples than a matrix can index")
  }
}
