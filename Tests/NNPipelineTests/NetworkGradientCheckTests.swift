import Foundation
import NNActivations
import NNLosses
import NNModelLanguage
import NNPipeline
import NNProtocols
import NNTestSupport
import NNTraining
import Testing

/// Mean squared error whose gradient is off by `factor`.
struct MisderivedMSE: Loss {
  var factor: Double
  var name: String { "misderived_mse" }
  func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double {
    MeanSquaredError().value(predictions: predictions, targets: targets)
  }
  func gradient<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>)
    -> Double
  {
    let value = MeanSquaredError().gradient(
      predictions: predictions, targets: targets, into: gradient)
    for i in 0..<gradient.count { gradient.base[i] *= S(factor) }
    return value
  }
  func squaredErrorScale(rows: Int, cols: Int) -> Double? { nil }
}

@Suite("NetworkGradientCheck")
struct NetworkGradientCheckTests {
  /// The standard components plus the deliberately wrong ones.
  static let registry: ComponentRegistry = {
    var registry = ComponentRegistry.standard()
    try! registry.registerMisderivedTanh()
    try! registry.registerLoss("misderived_mse", summary: "mse with a gradient off by 1.001") { _ in
      MisderivedMSE(factor: 1.001)
    }
    return registry
  }()

  func check(_ text: String, checker: GradientChecker = GradientChecker()) throws
    -> GradientReport
  {
    let description = try ModelParser(registry: Self.registry).parse(
      text, path: "model.txt", baseDirectory: "/models")
    return try ModelRunner(registry: Self.registry).gradientCheck(description, checker: checker)
  }

  // MARK: The checker on functions of one variable

  @Test func aRightDerivativeAgreesAndAWrongOneDisagrees() {
    let checker = GradientChecker()
    let f = { (x: Double) in sin(3 * x) * exp(x) }
    let derivative = { (x: Double) in 3 * cos(3 * x) * exp(x) + sin(3 * x) * exp(x) }
    for x in [-2.0, -0.3, 0, 0.7, 5, 40] {
      #expect(checker.compare(analytic: derivative(x), of: f, at: x).verdict == .agrees, "x = \(x)")
      // Off by one part in 10⁵: ten times the relative tolerance.
      let wrong = derivative(x) * (1 + 1e-5)
      let comparison = checker.compare(analytic: wrong, of: f, at: x)
      #expect(comparison.verdict == .disagrees, "x = \(x): \(comparison)")
      #expect(abs(comparison.numerical - derivative(x)) <= 1e-9 * abs(derivative(x)) + 1e-12)
    }
  }

  /// The extrapolated difference at the larger step is a thousand times more accurate than plain
  /// central differences at `h = 1e-6`, whose rounding error is `ε·|f| / h`.
  @Test func theExtrapolatedDifferenceIsAccurateForASmallSlopeOnALargeValue() {
    let f = { (x: Double) in 1000 + 1e-4 * x * x * x }  // f'(1) = 3e-4 on a value of 1000
    let numerical = GradientChecker().derivative(of: f, at: 1)
    #expect(abs(numerical - 3e-4) <= 1e-10)  // 1.4e-11
    let old = (f(1 + 1e-6) - f(1 - 1e-6)) / 2e-6
    #expect(abs(old - 3e-4) > 1e-8)  // 2.0e-8: what the former fixed step gave
  }

  @Test func aKinkWithinTheStepIsSkippedNotFailed() {
    let checker = GradientChecker()
    let relu = { (x: Double) in max(0, x) }
    // 0 < x < h: the differences straddle the kink at every step tried, or at the first ones.
    for x in [1e-12, 1e-9, 2e-7, 3e-5, 2.5e-4, 5e-4, 7e-4] {
      let comparison = checker.compare(analytic: 1, of: relu, at: x)
      #expect(comparison.verdict != .disagrees, "x = \(x): a kink reported as wrong: \(comparison)")
    }
    #expect(checker.compare(analytic: 1, of: relu, at: 1e-12).verdict == .kink)
    // Away from the kink a wrong slope is still a failure.
    let away = checker.compare(analytic: 0.5, of: relu, at: 0.1)
    #expect(away.verdict == .disagrees && abs(away.numerical - 1) < 1e-9, "\(away)")
    // A wrong slope next to a kink cannot be told from the kink: it is skipped, not passed. (The
    // central difference across a kink is the mean of the two slopes, here 0.5.)
    #expect(checker.compare(analytic: 0.3, of: relu, at: 1e-12).verdict == .kink)
  }

  @Test func aLossThatIsNotFiniteNearThePointFails() {
    let comparison = GradientChecker().compare(analytic: 1, of: { $0 > 0 ? .nan : 0 }, at: 0)
    #expect(comparison.verdict == .disagrees)
    #expect(comparison.numerical.isNaN)
  }

  @Test func vanishingGradientsAreComparedAbsolutely() {
    let checker = GradientChecker()
    let f = { (x: Double) in 0.7 + 1e-14 * x }
    #expect(checker.compare(analytic: 1e-14, of: f, at: 0.3).verdict == .agrees)
    #expect(checker.compare(analytic: 0, of: f, at: 0.3).verdict == .agrees)  // within atol = 1e-10
    #expect(checker.compare(analytic: 1e-9, of: f, at: 0.3).verdict == .disagrees)
  }

  /// A tensor's summary: the worst compared element, failures and kinks counted apart.
  @Test func aTensorCheckCountsFailuresAndKinksApart() {
    // L = Σ relu(θᵢ)·cᵢ: θ₀ sits on the kink, θ₂'s analytic derivative is wrong.
    let theta = Matrix<Double>(rows: 2, cols: 2, scalars: [1e-13, 0.5, -0.3, 2])
    let c = [1.5, -2.0, 0.7, 3.0]
    let analytic = Matrix<Double>(rows: 2, cols: 2, scalars: [0.3, -2, 0.1, 3])
    let check = GradientChecker().compare("t", analytic: analytic, tensor: theta) {
      zip(theta.scalars, c).reduce(0) { $0 + max(0, $1.0) * $1.1 }
    }
    #expect(theta.scalars == [1e-13, 0.5, -0.3, 2])  // restored
    #expect(check.checked == 4)
    #expect(check.kinks == 1)
    #expect(check.firstKink?.index == 0)
    #expect(check.failures == 1)
    #expect(!check.passed)
    let worst = check.worst
    #expect(worst?.index == 2 && worst?.analytic == 0.1 && abs(worst?.numerical ?? 1) < 1e-12)
    #expect(check.position(2) == (row: 1, column: 0))
  }

  /// The component checks the unit tests use see the same bugs: 1 % in an activation's derivative,
  /// 0.1 % in a loss's gradient (relative errors |a − n| / (|a| + |n|) of about half that).
  @Test func componentChecksReportWrongDerivatives() {
    let checker = GradientChecker()
    let points = [-2.0, -0.5, 0.1, 0.8, 1.7]
    #expect(checker.check(activation: MisderivedTanh(factor: 1), at: points) < 1e-9)
    #expect(checker.checkBuffers(activation: MisderivedTanh(factor: 1), at: points) < 1e-9)
    let activationError = checker.check(activation: MisderivedTanh(factor: 1.01), at: points)
    #expect(abs(activationError - 0.01 / 2.01) < 1e-8, "\(activationError)")
    let bufferError = checker.checkBuffers(activation: MisderivedTanh(factor: 1.01), at: points)
    #expect(abs(bufferError - 0.01 / 2.01) < 1e-8, "\(bufferError)")
    let predictions = Matrix<Double>(rows: 3, cols: 2, scalars: [0.2, -1, 0.7, 1.5, -0.3, 0.4])
    let targets = Matrix<Double>(rows: 3, cols: 2, scalars: [0, 1, 1, 0, 0.5, -0.5])
    let right = checker.check(
      loss: MisderivedMSE(factor: 1), predictions: predictions, targets: targets)
    let wrong = checker.check(
      loss: MisderivedMSE(factor: 1.001), predictions: predictions, targets: targets)
    #expect(right < 1e-9)
    #expect(abs(wrong - 0.001 / 2.001) < 1e-8, "\(wrong)")
  }

  // MARK: Networks

  @Test func aWrongActivationDerivativeFailsAndNamesTheTensors() throws {
    let report = try check(
      """
      data moons count=40 seed=1
      layer dense units=5 activation=misderived_tanh(factor=1.01)
      layer dense units=2
      loss cross_entropy
      """)
    #expect(!report.passed)
    // Both tensors before the wrong derivative are wrong; the output layer's are right.
    #expect(
      report.entries.filter { !$0.passed }.map(\.name) == ["layers.0.weight", "layers.0.bias"])
    let worst = try #require(report["layers.0.weight"]?.worst)
    #expect(abs(worst.analytic / worst.numerical - 1.01) < 1e-6, "\(worst)")
    #expect(report["layers.1.weight"]?.passed == true)
  }

  @Test func theSameNetworkWithTheRightDerivativePasses() throws {
    let report = try check(
      """
      data moons count=40 seed=1
      layer dense units=5 activation=misderived_tanh(factor=1)
      layer dense units=2
      loss cross_entropy
      """)
    #expect(report.passed, "\(report)")
    #expect(report.entries.allSatisfy { $0.checked == $0.rows * $0.cols && $0.kinks == 0 })
  }

  @Test func aWrongLossGradientFailsEveryTensor() throws {
    let report = try check(
      """
      data sine count=20
      layer dense units=4 activation=tanh
      layer dense units=1
      loss misderived_mse
      """)
    #expect(report.entries.count == 4)
    #expect(report.entries.allSatisfy { !$0.passed }, "\(report)")
  }

  @Test func tensorsBeforeASignActivationAreNotDifferentiable() throws {
    let report = try check(
      """
      data moons count=40 seed=1
      layer dense units=4 activation=sign
      layer dense units=3 activation=tanh
      layer dense units=2
      loss cross_entropy
      train epochs=0
      """)
    #expect(report.passed)
    #expect(report["layers.0.weight"]?.notDifferentiableThrough == "sign")
    #expect(report["layers.0.bias"]?.notDifferentiableThrough == "sign")
    #expect(report["layers.0.weight"]?.checked == 0)
    for name in ["layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias"] {
      #expect(report[name]?.notDifferentiableThrough == nil, "\(name)")
      #expect(report[name]?.checked ?? 0 > 0, "\(name)")
    }
  }

  @Test func aReLUNetworkPassesWithKinksSkippedAtMost() throws {
    let report = try check(
      """
      data moons count=64 seed=3
      layer dense units=16 activation=relu init=he_normal
      layer dense units=16 activation=relu init=he_normal
      layer dense units=2
      loss cross_entropy
      """, checker: GradientChecker())
    #expect(report.passed, "\(report)")
    #expect(report.maxError < 1e-9, "\(report)")
  }
}
