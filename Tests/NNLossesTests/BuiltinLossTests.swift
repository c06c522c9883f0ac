import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

/// Properties every built-in loss must have, run over the registry so that a new built-in is covered
/// automatically, with default and non-default options and every kind of target it accepts.
@Suite("Every built-in loss")
struct BuiltinLossTests {
  @Test("every loss validates targets, accepts some kind of target, and every option is varied")
  func coverage() throws {
    #expect(builtinLossNames.count >= 10)
    let registry = try builtinLossRegistry()
    for name in builtinLossNames {
      let loss = try makeLoss(name)
      #expect(loss is any TargetValidating, "\(name) cannot check targets")
      #expect(!acceptedTargetKinds(loss).isEmpty, "\(name) accepts no test targets")
      let specs = registry.optionSpecs(of: .loss, named: name) ?? []
      let changed = Set(optionVariants(specs).flatMap { $0.map(\.key) })
      #expect(changed == Set(specs.map(\.name)), "\(name): options without a tested variant")
    }
  }

  @Test("class losses take both index and one-hot targets; element losses take real targets")
  func targetKinds() throws {
    for name in ["cross_entropy", "nll"] {
      let kinds = acceptedTargetKinds(try makeLoss(name))
      #expect(kinds.contains(.classIndices) && kinds.contains(.oneHotRows), "\(name): \(kinds)")
      #expect(!kinds.contains(.realValues), "\(name): \(kinds)")
    }
    for name in ["mse", "half_mse", "half_sse", "mae", "huber"] {
      #expect(acceptedTargetKinds(try makeLoss(name)).contains(.realValues), "\(name)")
    }
  }

  @Test("the gradient matches central differences of the value", arguments: builtinLossNames)
  func gradientMatchesFiniteDifferences(name: String) throws {
    let registry = try builtinLossRegistry()
    let checker = GradientChecker()
    for given in optionVariants(registry.optionSpecs(of: .loss, named: name) ?? []) {
      let reference = try registry.reference(.loss, name, given)
      let loss = try registry.makeLoss(reference)
      for kind in acceptedTargetKinds(loss) {
        for seed: UInt64 in [1, 2, 3] {
          let a = predictions(for: loss, seed: seed)
          let y = kind.targets(seed: seed + 10)
          let error = checker.check(loss: loss, predictions: a, targets: y)
          #expect(error < 1e-6, "\(reference) with \(kind.rawValue), seed \(seed): error \(error)")
        }
      }
    }
  }

  @Test("value and gradient agree; the gradient writes every element", arguments: builtinLossNames)
  func valueAndGradientAgree(name: String) throws {
    let registry = try builtinLossRegistry()
    for given in optionVariants(registry.optionSpecs(of: .loss, named: name) ?? []) {
      let reference = try registry.reference(.loss, name, given)
      let loss = try registry.makeLoss(reference)
      for kind in acceptedTargetKinds(loss) {
        let result = lossAndGradient(
          loss, predictions: predictions(for: loss), targets: kind.targets())
        #expect(result.value.isFinite && result.value >= 0, "\(reference), \(kind.rawValue)")
        #expect(result.value == result.returned, "\(reference), \(kind.rawValue)")
        #expect(
          result.gradient.scalars.allSatisfy { $0.isFinite }, "\(reference), \(kind.rawValue)")
      }
    }
  }

  @Test("an empty batch has loss 0", arguments: builtinLossNames)
  func emptyBatch(name: String) throws {
    let loss = try makeLoss(name)
    for kind in acceptedTargetKinds(loss) {
      let targets = kind.targets()
      let empty = Matrix<Double>(rows: 0, cols: testClasses)
      let emptyTargets = Matrix<Double>(rows: 0, cols: targets.cols)
      #expect(
        loss.value(predictions: empty, targets: emptyTargets) == 0, "\(name), \(kind.rawValue)")
      let gradient = Matrix<Double>(rows: 0, cols: testClasses)
      #expect(loss.gradient(predictions: empty, targets: emptyTargets, into: gradient) == 0)
    }
  }

  @Test(
    "special predictions: no NaN from finite values, NaN propagates", arguments: builtinLossNames)
  func specialPredictions(name: String) throws {
    let registry = try builtinLossRegistry()
    for given in optionVariants(registry.optionSpecs(of: .loss, named: name) ?? []) {
      let reference = try registry.reference(.loss, name, given)
      let loss = try registry.makeLoss(reference)
      for kind in acceptedTargetKinds(loss) {
        let targets = kind.targets()
        for v in specialValues where !v.isInfinite {
          // One element at v and another at −v, the rest ordinary.
          let a = predictions(for: loss)
          a[0, 0] = v
          a[1, 1] = -v
          let result = lossAndGradient(loss, predictions: a, targets: targets)
          let label = "\(reference), \(kind.rawValue), prediction \(v)"
          if v.isNaN {
            #expect(result.value.isNaN, "\(label): loss \(result.value)")
            #expect(result.gradient[0, 0].isNaN, "\(label): gradient \(result.gradient[0, 0])")
          } else {
            // The value may overflow to +∞ (e.g. (1.8e308)²) but is never NaN; the gradient of
            // every built-in loss is finite for finite inputs.
            #expect(!result.value.isNaN && result.value >= 0, "\(label): loss \(result.value)")
            #expect(
              result.gradient.scalars.allSatisfy { $0.isFinite },
              "\(label): gradient \(result.gradient.scalars)")
          }
        }
      }
    }
  }

  @Test(
    "the Float paths agree with the Double paths to Float precision", arguments: builtinLossNames)
  func floatAgreesWithDouble(name: String) throws {
    let registry = try builtinLossRegistry()
    for given in optionVariants(registry.optionSpecs(of: .loss, named: name) ?? []) {
      let reference = try registry.reference(.loss, name, given)
      let loss = try registry.makeLoss(reference)
      for kind in acceptedTargetKinds(loss) {
        for v in [0.5] + specialValues {
          // The same values in both precisions: Float data, widened exactly to Double.
          let single = predictions(for: loss).converted(to: Float.self)
          single[0, 0] = Float(v)
          single[2, 1] = -Float(v)
          let singleTargets = kind.targets().converted(to: Float.self)
          let double = single.converted(to: Double.self)
          let doubleTargets = singleTargets.converted(to: Double.self)
          let f = lossAndGradient(loss, predictions: single, targets: singleTargets)
          let d = lossAndGradient(loss, predictions: double, targets: doubleTargets)
          let label = "\(reference), \(kind.rawValue), prediction \(Float(v))"
          #expect(
            isApproximatelyEqual(f.value, d.value, absolute: 1e-6, relative: 1e-5),
            "\(label): Float \(f.value), Double \(d.value)")
          #expect(
            isApproximatelyEqual(
              f.gradient.scalars, d.gradient.scalars.map { Float($0) }, absolute: 1e-6,
              relative: 1e-5),
            "\(label): Float \(f.gradient.scalars), Double \(d.gradient.scalars)")
        }
      }
    }
  }

  @Test("the loss is smallest when predictions match the targets", arguments: builtinLossNames)
  func minimumAtTargets(name: String) throws {
    // For each target kind, predictions that reproduce the target (the target itself, or large
    // logits for the target class) give a smaller loss than random predictions.
    let loss = try makeLoss(name)
    for kind in acceptedTargetKinds(loss) where kind != .softLabels {
      let targets = kind.targets()
      let perfect = Matrix<Double>(rows: testRows, cols: testClasses)
      for i in 0..<testRows {
        for j in 0..<testClasses {
          let q = kind == .classIndices ? (Int(targets[i, 0]) == j ? 1.0 : 0) : targets[i, j]
          switch loss.expectedOutput {
          case .values, .probabilities: perfect[i, j] = q
          case .logits: perfect[i, j] = q == 1 ? 20 : (q == 0 ? -20 : log(q / (1 - q)))
          }
        }
      }
      let best = loss.value(predictions: perfect, targets: targets)
      let random = loss.value(predictions: predictions(for: loss), targets: targets)
      #expect(best < random, "\(name), \(kind.rawValue): \(best) vs \(random)")
      #expect(best < 1e-5 || kind == .probabilities, "\(name), \(kind.rawValue): \(best)")
    }
  }
}
