import NNProtocols

/// The settings check shared by the two-class plane sets `circles` and `moons`: at least 2 points
/// and a finite noise ≥ 0; the shape is `count` points of 2 features and 2 classes.
func twoCurveShape(_ name: String, count: Int, noise: Double) throws -> GeneratedShape {
  guard count >= 2 else { throw InputError("\(name): count must be ≥ 2, got \(count)") }
  guard noise.isFinite, noise >= 0 else {
    throw InputError("\(name): noise must be ≥ 0, got \(formatReal(noise))")
  }
  return GeneratedShape(samples: count, inputs: 2, classes: 2)
}

/// The points of a two-class plane set (`circles`, `moons`): `⌊count/2⌋` points of class 0, then the
/// rest of class 1. The `i`-th of a class's `n` points lies on `curve(label, i, n)`, and each of its
/// coordinates gets Gaussian noise of standard deviation `noise` (x's draw before y's, point by point).
func twoCurveDataset(
  _ name: String, count: Int, noise: Double, seed: UInt64, classNames: [String],
  curve: (_ label: Int, _ i: Int, _ n: Int) -> (x: Double, y: Double)
) -> Dataset {
  var generator = SeededGenerator(seed: seed)
  let firstCount = count / 2
  let features = Matrix<Double>(rows: count, cols: 2)
  let targets = Matrix<Double>(rows: count, cols: 1)
  for label in 0..<2 {
    let n = label == 0 ? firstCount : count - firstCount
    let first = label == 0 ? 0 : firstCount
    for i in 0..<n {
      let (x, y) = curve(label, i, n)
      features[first + i, 0] = x + noise * generator.normal()
      features[first + i, 1] = y + noise * generator.normal()
      targets[first + i, 0] = Double(label)
    }
  }
  return Dataset(
    name: name, features: features, targets: targets, featureNames: ["x1", "x2"],
    targetNames: ["class"], classNames: classNames)
}
