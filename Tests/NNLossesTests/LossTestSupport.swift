import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

// Helpers shared by the loss suites.

/// A registry holding every built-in loss.
func builtinLossRegistry() throws -> ComponentRegistry {
  var registry = ComponentRegistry()
  try registry.registerBuiltinLosses()
  return registry
}

/// The loss `name` built through the registry, with `given` options validated and the others at
/// their defaults.
func makeLoss(_ name: String, _ given: [(key: String, value: OptionValue)] = []) throws -> any Loss
{
  let registry = try builtinLossRegistry()
  return try registry.makeLoss(registry.reference(.loss, name, given))
}

/// The names of every built-in loss (empty only if registration fails, which
/// `ComponentRegistry+LossesTests` reports).
let builtinLossNames: [String] = (try? builtinLossRegistry().names(of: .loss)) ?? []

/// Every registered loss with every option variant, labelled for messages.
func everyLossVariant() throws -> [(label: String, loss: any Loss)] {
  let registry = try builtinLossRegistry()
  var result: [(label: String, loss: any Loss)] = []
  for name in registry.names(of: .loss) {
    for given in optionVariants(registry.optionSpecs(of: .loss, named: name) ?? []) {
      let reference = try registry.reference(.loss, name, given)
      result.append((reference.description, try registry.makeLoss(reference)))
    }
  }
  return result
}

/// The batch shape the registry-wide suites use: 4 rows, 3 outputs (classes).
let testRows = 4
let testClasses = 3

/// Kinds of targets; each loss is tested with every kind its `targetProblem` accepts.
enum TargetKind: String, CaseIterable {
  case realValues = "real values"
  case probabilities = "probabilities"
  case signs = "±1 labels"
  case classIndices = "class indices"
  case oneHotRows = "one-hot rows"
  case softLabels = "soft labels"

  /// Seeded targets of this kind for a `[rows, classes]` batch.
  func targets(rows: Int = testRows, classes: Int = testClasses, seed: UInt64 = 5) -> Matrix<Double>
  {
    var generator = SeededGenerator(seed: seed)
    switch self {
    case .realValues:
      return randomMatrix(rows: rows, cols: classes, using: &generator)
    case .probabilities:
      let m = Matrix<Double>(rows: rows, cols: classes)
      for i in 0..<m.count { m.base[i] = generator.uniform(0.05, 0.95) }
      return m
    case .signs:
      let m = Matrix<Double>(rows: rows, cols: classes)
      for i in 0..<m.count { m.base[i] = generator.uniform() < 0.5 ? -1 : 1 }
      return m
    case .classIndices:
      // Every class occurs (rows ≥ classes), in a seeded order.
      let m = Matrix<Double>(rows: rows, cols: 1)
      for i in 0..<rows { m.base[i] = Double((i + Int(generator.next() % 3)) % classes) }
      return m
    case .oneHotRows:
      let indices = TargetKind.classIndices.targets(rows: rows, classes: classes, seed: seed)
      let m = Matrix<Double>(rows: rows, cols: classes)
      for i in 0..<rows { m[i, Int(indices.base[i])] = 1 }
      return m
    case .softLabels:
      let m = Matrix<Double>(rows: rows, cols: classes)
      for i in 0..<rows {
        let weights = (0..<classes).map { _ in generator.uniform(0.1, 1) }
        let total = weights.reduce(0, +)
        for j in 0..<classes { m[i, j] = weights[j] / total }
      }
      return m
    }
  }
}

/// Seeded predictions of the kind `loss` expects: real values, probabilities in (0.05, 0.95) away
/// from the clamps, or logits.
func predictions(
  for loss: any Loss, rows: Int = testRows, classes: Int = testClasses, seed: UInt64 = 9
) -> Matrix<Double> {
  var generator = SeededGenerator(seed: seed)
  switch loss.expectedOutput {
  case .values: return randomMatrix(rows: rows, cols: classes, scale: 1.5, using: &generator)
  case .logits: return randomMatrix(rows: rows, cols: classes, scale: 2, using: &generator)
  case .probabilities:
    let m = Matrix<Double>(rows: rows, cols: classes)
    for i in 0..<m.count { m.base[i] = generator.uniform(0.05, 0.95) }
    return m
  }
}

/// The target kinds `loss` accepts for `classes` outputs, by its own `targetProblem`.
func acceptedTargetKinds(_ loss: any Loss) -> [TargetKind] {
  guard let validating = loss as? any TargetValidating else { return [] }
  return TargetKind.allCases.filter {
    validating.targetProblem($0.targets(), outputs: testClasses) == nil
  }
}

/// The loss value and the gradient (into a fresh matrix prefilled with NaN, so an unwritten element
/// shows), in precision `S`.
func lossAndGradient<S: NNScalar>(
  _ loss: any Loss, predictions: Matrix<S>, targets: Matrix<S>
) -> (value: Double, gradient: Matrix<S>, returned: Double) {
  let gradient = Matrix<S>(rows: predictions.rows, cols: predictions.cols)
  gradient.fill(.nan)
  let returned = loss.gradient(predictions: predictions, targets: targets, into: gradient)
  return (loss.value(predictions: predictions, targets: targets), gradient, returned)
}

/// Expects `loss` to give `value` and `gradient` (row-major) on both paths, in Double (to 1e-13) and
/// in Float (to Float precision).
func expectKnown(
  _ loss: any Loss, predictions: [[Double]], targets: [[Double]], value: Double,
  gradient expectedGradient: [Double], sourceLocation: SourceLocation = #_sourceLocation
) {
  let a = Matrix<Double>(predictions)
  let y = Matrix<Double>(targets)
  let double = lossAndGradient(loss, predictions: a, targets: y)
  #expect(
    isApproximatelyEqual(double.value, value, absolute: 1e-15, relative: 1e-13),
    "\(loss.name) value \(double.value), expected \(value)", sourceLocation: sourceLocation)
  #expect(
    isApproximatelyEqual(double.returned, value, absolute: 1e-15, relative: 1e-13),
    "\(loss.name) value returned by gradient \(double.returned), expected \(value)",
    sourceLocation: sourceLocation)
  #expect(
    isApproximatelyEqual(
      double.gradient.scalars, expectedGradient, absolute: 1e-15, relative: 1e-13),
    "\(loss.name) gradient \(double.gradient.scalars), expected \(expectedGradient)",
    sourceLocation: sourceLocation)
  let single = lossAndGradient(
    loss, predictions: a.converted(to: Float.self), targets: y.converted(to: Float.self))
  #expect(
    isApproximatelyEqual(single.value, value, absolute: 1e-7, relative: 1e-6),
    "\(loss.name) Float value \(single.value), expected \(value)", sourceLocation: sourceLocation)
  #expect(
    isApproximatelyEqual(
      single.gradient.scalars, expectedGradient.map { Float($0) }, absolute: 1e-7, relative: 1e-5),
    "\(loss.name) Float gradient \(single.gradient.scalars), expected \(expectedGradient)",
    sourceLocation: sourceLocation)
}
