import NNProtocols

/// Gaussian clusters, one class each (scikit-learn's `make_blobs`).
///
/// The centres are drawn uniformly from the box `[−box, box]^dimensions`; each point is its class's
/// centre plus Gaussian noise of standard deviation `std` on every coordinate. The `count` points are
/// shared out evenly (the first `count mod classes` classes get one more).
public struct BlobsGenerator: DataGenerator {
  /// The number of clusters. Default 3.
  public var classes: Int
  /// The total number of points. Default 300.
  public var count: Int
  /// The standard deviation of each cluster. Default 1.
  public var std: Double
  /// The number of coordinates (features). Default 2.
  public var dimensions: Int
  /// The half-width of the box the centres are drawn from. Default 10.
  public var box: Double
  /// The seed of the centres and points. Default 0.
  public var seed: UInt64

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    classes: Int = 3, count: Int = 300, std: Double = 1, dimensions: Int = 2, box: Double = 10,
    seed: UInt64 = 0
  ) {
    self.classes = classes
    self.count = count
    self.std = std
    self.dimensions = dimensions
    self.box = box
    self.seed = seed
  }

  /// `count` points of `dimensions` features and a class index, checking every setting.
  public func shape() throws -> GeneratedShape {
    guard classes >= 1 else { throw InputError("blobs: classes must be ≥ 1, got \(classes)") }
    guard count >= classes else {
      throw InputError("blobs: count (\(count)) must be at least classes (\(classes))")
    }
    guard dimensions >= 1 else {
      throw InputError("blobs: dimensions must be ≥ 1, got \(dimensions)")
    }
    guard std.isFinite, std >= 0, box.isFinite, box >= 0 else {
      throw InputError("blobs: std and box must be ≥ 0")
    }
    return GeneratedShape(samples: count, inputs: dimensions, classes: classes)
  }

  /// The points, cluster by cluster.
  public func generate() throws -> Dataset {
    // The centres (classes × dimensions) are no larger than the features (count ≥ classes).
    try requireRepresentable(try shape(), "blobs")
    var generator = SeededGenerator(seed: seed)
    let centres = (0..<classes).map { _ in
      (0..<dimensions).map { _ in generator.uniform(-box, box) }
    }
    let features = Matrix<Double>(rows: count, cols: dimensions)
    let targets = Matrix<Double>(rows: count, cols: 1)
    var row = 0
    for label in 0..<classes {
      let size = count / classes + (label < count % classes ? 1 : 0)
      for _ in 0..<size {
        for d in 0..<dimensions { features[row, d] = centres[label][d] + std * generator.normal() }
        targets[row, 0] = Double(label)
        row += 1
      }
    }
    return Dataset(
      name: "blobs", features: features, targets: targets,
      featureNames: (1...dimensions).map { "x\($0)" }, targetNames: ["class"],
      classNames: (1...classes).map { "blob\($0)" })
  }
}
