import Foundation
import NNProtocols

/// Compares analytic gradients (back-propagation) with finite differences, in `Double`.
///
/// **The numerical derivative.** For every scalar `θ` the checker nudges it by a step chosen for that
/// element, `h = relativeStep · max(1, |θ|)` (or a fixed `step`), and combines two central differences,
/// `D(h) = (L(θ+h) − L(θ−h)) / 2h` and `D(h/2)`, by Richardson extrapolation:
/// `R = (4·D(h/2) − D(h)) / 3`, whose error is O(h⁴) instead of O(h²). The default relative step,
/// `ε^(1/5) ≈ 7.4e-4` for double precision, balances that truncation error against the rounding error of
/// the differences, about `ε·|L| / h ≈ 3e-13·|L|`. (With the textbook `h = 1e-6` and no
/// extrapolation, the rounding error alone is `2e-10·|L|`, more than the relative error allowed for a
/// gradient of 1e-5: the check then "fails" on exact back-propagation.)
///
/// **The criterion.** An element passes when, like `numpy.isclose`,
/// `|a − n| ≤ absoluteTolerance + relativeTolerance · max(|a|, |n|)`
/// (defaults `1e-10` and `1e-6`): relative for ordinary gradients, absolute for gradients that vanish.
/// To the right-hand side is added the differences' own rounding error, `16·ε·max|L| / h` (about
/// `5e-12·|L|` at the default step), so that a loss with a large value is not failed for its
/// rounding.
///
/// **Kinks.** Where `L` is not smooth within the step (a ReLU input crossing 0), no finite difference
/// estimates the derivative, and a disagreement proves nothing. An element that disagrees at the first
/// step is compared again with the step divided by 100 (and then by 10 000), and declared wrong only at
/// a step where `L` is smooth: there the one-sided slopes' difference
/// `e(h) = (L(θ+h) − 2L(θ) + L(θ−h)) / h = h·L'' + O(h³)` halves with the step, while a kink at a distance
/// `d < h` leaves a fixed part of the jump in slope in `e(h) − 2·e(h/2)`. An element that is not
/// smooth at any of these steps is a *kink*: skipped and counted, never a failure. A wrong derivative
/// does not change `L`, so it can never pass for a kink.
public struct GradientChecker: Sendable {
  /// The default relative step, `ε^(1/5)` for `Double`: the step that minimizes truncation plus
  /// rounding error of the extrapolated central difference.
  public static let defaultRelativeStep = pow(Double.ulpOfOne, 0.2)

  /// A fixed step `h` for every element, or `nil` (the default) for `relativeStep · max(1, |θ|)`.
  public var step: Double?
  /// The step relative to the element's magnitude, used when `step` is `nil`.
  public var relativeStep: Double
  /// The relative tolerance `rtol` of the criterion `|a − n| ≤ atol + rtol · max(|a|, |n|)`.
  public var relativeTolerance: Double
  /// The absolute tolerance `atol` of the criterion: what two derivatives near zero may differ by.
  public var absoluteTolerance: Double
  /// Below this magnitude, `relativeError` compares absolutely.
  public var floor: Double

  public init(
    step: Double? = nil, relativeStep: Double = GradientChecker.defaultRelativeStep,
    relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-10, floor: Double = 1e-7
  ) {
    self.step = step
    self.relativeStep = relativeStep
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.floor = floor
  }

  /// The step used for an element of value `value`.
  public func step(at value: Double) -> Double {
    step ?? relativeStep * max(1, abs(value))
  }

  /// The largest difference the criterion allows between `analytic` and `numerical`, before the
  /// differences' rounding error is added.
  public func allowedError(_ analytic: Double, _ numerical: Double) -> Double {
    absoluteTolerance + relativeTolerance * max(abs(analytic), abs(numerical))
  }

  /// A symmetric relative error, `|a − n| / max(|a| + |n|, floor)`, in [0, 1] (a summary measure;
  /// pass or fail is decided by `allowedError`).
  public func relativeError(_ analytic: Double, _ numerical: Double) -> Double {
    if analytic == numerical { return 0 }
    return abs(analytic - numerical) / max(abs(analytic) + abs(numerical), floor)
  }

  // MARK: One derivative

  /// How an analytic derivative compares with the finite differences of the function.
  public struct Comparison: Sendable, Equatable {
    /// The verdict on one derivative.
    public enum Verdict: Sendable, Equatable {
      /// Within the tolerance of the numerical derivative.
      case agrees
      /// Outside the tolerance, where the function is smooth: the analytic derivative is wrong.
      case disagrees
      /// Outside the tolerance, but the function has a kink within every step tried, so the finite
      /// differences do not estimate a derivative.
      case kink
    }

    public var verdict: Verdict
    /// The numerical derivative (the last one tried, for a kink).
    public var numerical: Double
    /// The largest difference the criterion allowed.
    public var allowed: Double
  }

  /// The finite differences of `f` at `x` with step `h`: the extrapolated derivative, a measure of
  /// how far `f` is from smooth at that scale, and the rounding error of the differences.
  private func differences(_ f: (Double) -> Double, at x: Double, f0: Double, step h: Double)
    -> (estimate: Double, kinkSignal: Double, noise: Double)
  {
    // The step as `x + h` represents it, so that the divisions use the true spacing.
    let h = (x + h) - x
    let (plus, minus) = (f(x + h), f(x - h))
    let (halfPlus, halfMinus) = (f(x + h / 2), f(x - h / 2))
    let full = (plus - minus) / (2 * h)
    let half = (halfPlus - halfMinus) / h
    let estimate = (4 * half - full) / 3
    // The one-sided slopes' difference, e(h) = h·f'' + O(h³) where f is smooth: e(h) − 2·e(h/2) is
    // then O(h³), but a kink at distance d < h from x leaves a fixed part of the jump in slope.
    let curvature = (plus - 2 * f0 + minus) / h
    let halfCurvature = (halfPlus - 2 * f0 + halfMinus) / (h / 2)
    // The rounding error of these differences: a few ulps of the values, divided by the step.
    let magnitude = [f0, plus, minus, halfPlus, halfMinus].map(abs).max() ?? 0
    let noise = 16 * Double.ulpOfOne * magnitude / h
    return (estimate, abs(curvature - 2 * halfCurvature), noise)
  }

  /// Whether a kink signal is small enough for `f` to be smooth at the step's scale, for a derivative
  /// known to within `allowed` (the signal's own rounding error is about four times the estimate's).
  private func isSmooth(_ kinkSignal: Double, allowed: Double, noise: Double) -> Bool {
    kinkSignal <= allowed / 4 + 4 * noise
  }

  /// Compares the derivative `analytic` of `f` at `x` with its finite differences (see the type's
  /// documentation for the step, the criterion and the treatment of kinks).
  ///
  /// An element that disagrees at the first step is never failed there: it is compared again at the
  /// step divided by 100, where a kink that the first step straddled has most likely been left
  /// behind; it fails only where the differences agree with each other and still not with `analytic`.
  public func compare(analytic: Double, of f: (Double) -> Double, at x: Double) -> Comparison {
    let f0 = f(x)
    var last = Comparison(verdict: .kink, numerical: .nan, allowed: absoluteTolerance)
    for (attempt, scale) in [1.0, 1e-2, 1e-4].enumerated() {
      let h = step(at: x) * scale
      let (estimate, kinkSignal, noise) = differences(f, at: x, f0: f0, step: h)
      let allowed = allowedError(analytic, estimate) + noise
      last = Comparison(verdict: .kink, numerical: estimate, allowed: allowed)
      guard estimate.isFinite else {
        // The loss itself is not finite next to x: nothing agrees with that.
        return Comparison(verdict: .disagrees, numerical: estimate, allowed: allowed)
      }
      if abs(analytic - estimate) <= allowed {
        return Comparison(verdict: .agrees, numerical: estimate, allowed: allowed)
      }
      if attempt > 0 && isSmooth(kinkSignal, allowed: allowed, noise: noise) {
        return Comparison(verdict: .disagrees, numerical: estimate, allowed: allowed)
      }
    }
    return last
  }

  /// The numerical derivative of `f` at `x`: the extrapolated central difference at the element's
  /// step, or, where `f` is not smooth at that scale (a kink within the step), at the first of the
  /// steps divided by 100 and by 10 000 where it is (the last one if none is).
  public func derivative(of f: (Double) -> Double, at x: Double) -> Double {
    let f0 = f(x)
    var estimate = Double.nan
    for scale in [1.0, 1e-2, 1e-4] {
      let result = differences(f, at: x, f0: f0, step: step(at: x) * scale)
      estimate = result.estimate
      let allowed = allowedError(estimate, estimate) + result.noise
      if isSmooth(result.kinkSignal, allowed: allowed, noise: result.noise) { break }
    }
    return estimate
  }

  // MARK: Tensors

  /// The numerical gradient of `loss` with respect to every element of `tensor` (which is nudged in
  /// place and restored).
  public func numericalGradient(of tensor: Matrix<Double>, loss: () -> Double) -> [Double] {
    (0..<tensor.count).map { i in
      let original = tensor.base[i]
      defer { tensor.base[i] = original }
      return derivative(
        of: { value in
          tensor.base[i] = value
          return loss()
        }, at: original)
    }
  }

  /// Compares `analytic` with the finite differences of `loss` for every element of `tensor` (nudged
  /// in place and restored), and summarizes the tensor under `name`.
  public func compare(
    _ name: String, analytic: Matrix<Double>, tensor: Matrix<Double>, loss: () -> Double
  ) -> TensorGradientCheck {
    precondition(analytic.count == tensor.count, "gradient and tensor differ in size")
    var result = TensorGradientCheck(name: name, rows: tensor.rows, cols: tensor.cols)
    for i in 0..<tensor.count {
      let original = tensor.base[i]
      let comparison = compare(
        analytic: analytic.base[i],
        of: { value in
          tensor.base[i] = value
          return loss()
        }, at: original)
      tensor.base[i] = original
      result.record(index: i, analytic: analytic.base[i], comparison, checker: self)
    }
    return result
  }

  /// The largest `relativeError` between `analytic` and the numerical gradient of `loss` over
  /// `tensor`, leaving out kinks (see `compare`).
  public func maxError(
    analytic: Matrix<Double>, tensor: Matrix<Double>, loss: () -> Double
  ) -> Double {
    compare("", analytic: analytic, tensor: tensor, loss: loss).maxRelativeError
  }

  // MARK: Components

  /// Checks a layer: its parameter gradients and its input gradient, for the scalar loss
  /// `L = Σ output ∘ R` with fixed random weights `R` (so `∂L/∂output = R`).
  ///
  /// - Returns: a check for each parameter (by name) and for `"input"`.
  public func check(
    layer: any Layer<Double>, input: Matrix<Double>, phase: Phase = .training,
    using generator: inout SeededGenerator
  ) -> GradientReport {
    let probe = Matrix<Double>(rows: input.rows, cols: layer.outputSize)
    for i in 0..<probe.count { probe.base[i] = generator.normal() }
    func loss() -> Double {
      let output = layer.forward(input, phase: phase)
      return zip(output.scalars, probe.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    }
    _ = layer.forward(input, phase: phase)
    let inputGradient = layer.backward(probe, needsInputGradient: true).copy()
    var entries: [TensorGradientCheck] = []
    for parameter in layer.parameters {
      let analytic = parameter.gradient.copy()
      entries.append(
        compare(parameter.name, analytic: analytic, tensor: parameter.value, loss: loss))
    }
    entries.append(compare("input", analytic: inputGradient, tensor: input, loss: loss))
    return GradientReport(entries)
  }

  /// Checks an activation's derivative at `points` against finite differences of its value; returns
  /// the largest `relativeError`.
  public func check(activation: any Activation, at points: [Double]) -> Double {
    points.map { z in
      let analytic = activation.derivative(z, output: activation.value(z))
      return relativeError(analytic, derivative(of: { activation.value($0) }, at: z))
    }.max() ?? 0
  }

  /// Checks an activation's buffer-level `backward` against finite differences of its buffer-level
  /// `forward` (the paths the trainer uses); returns the largest `relativeError`.
  public func checkBuffers(activation: any Activation, at points: [Double]) -> Double {
    let z = Matrix<Double>(rows: 1, cols: points.count, scalars: points)
    let a = Matrix<Double>(rows: 1, cols: points.count)
    activation.forward(z, into: a)
    let ones = Matrix<Double>(rows: 1, cols: points.count)
    ones.fill(1)
    let dZ = Matrix<Double>(rows: 1, cols: points.count)
    activation.backward(input: z, output: a, outputGradient: ones, into: dZ)
    let one = Matrix<Double>(rows: 1, cols: 1)
    let out = Matrix<Double>(rows: 1, cols: 1)
    return (0..<points.count).map { i in
      let numerical = derivative(
        of: { value in
          one.base[0] = value
          activation.forward(one, into: out)
          return out.base[0]
        }, at: points[i])
      return relativeError(dZ.base[i], numerical)
    }.max() ?? 0
  }

  /// Checks a loss's gradient with respect to the predictions; returns the largest `relativeError`.
  public func check(loss: any Loss, predictions: Matrix<Double>, targets: Matrix<Double>) -> Double
  {
    let analytic = Matrix<Double>(rows: predictions.rows, cols: predictions.cols)
    loss.gradient(predictions: predictions, targets: targets, into: analytic)
    return maxError(analytic: analytic, tensor: predictions) {
      loss.value(predictions: predictions, targets: targets)
    }
  }
}

/// The comparison of one tensor's analytic gradient with its finite differences.
public struct TensorGradientCheck: Sendable {
  /// One element's comparison.
  public struct Element: Sendable, Equatable {
    /// The element's position in the tensor, row-major.
    public var index: Int
    /// Back-propagation's derivative.
    public var analytic: Double
    /// The finite differences' derivative.
    public var numerical: Double
    /// `|analytic − numerical|`.
    public var error: Double { abs(analytic - numerical) }
    /// What the criterion allowed for this element.
    public var allowed: Double
  }

  /// The tensor's name (`layers.0.weight`, `input`, …).
  public var name: String
  /// The tensor's shape.
  public var rows: Int
  public var cols: Int
  /// Elements compared (kinks included).
  public var checked = 0
  /// Elements outside the tolerance where the loss is smooth: wrong derivatives.
  public var failures = 0
  /// Elements skipped because a kink of the loss lay within every step tried.
  public var kinks = 0
  /// The element with the largest `error / allowed` among those not skipped (the first failure's
  /// rival), or `nil` when none was compared.
  public var worst: Element?
  /// The first element skipped at a kink.
  public var firstKink: Element?
  /// The largest `relativeError` among the elements not skipped.
  public var maxRelativeError = 0.0
  /// When the tensor was not checked because its influence on the loss passes through an activation
  /// without a derivative (`Activation.isTrainable == false`): that activation's name.
  public var notDifferentiableThrough: String?

  public init(name: String, rows: Int, cols: Int, notDifferentiableThrough: String? = nil) {
    self.name = name
    self.rows = rows
    self.cols = cols
    self.notDifferentiableThrough = notDifferentiableThrough
  }

  /// Whether the tensor passed: no failure (skipped tensors and kinks are not failures).
  public var passed: Bool { failures == 0 }

  /// `index` as `[row, column]`.
  public func position(_ index: Int) -> (row: Int, column: Int) {
    cols > 0 ? (index / cols, index % cols) : (0, index)
  }

  mutating func record(
    index: Int, analytic: Double, _ comparison: GradientChecker.Comparison,
    checker: GradientChecker
  ) {
    checked += 1
    let element = Element(
      index: index, analytic: analytic, numerical: comparison.numerical,
      allowed: comparison.allowed)
    switch comparison.verdict {
    case .kink:
      kinks += 1
      if firstKink == nil { firstKink = element }
      return
    case .disagrees: failures += 1
    case .agrees: break
    }
    maxRelativeError = max(
      maxRelativeError, checker.relativeError(element.analytic, element.numerical))
    if let current = worst {
      if element.error / element.allowed > current.error / current.allowed { worst = element }
    } else {
      worst = element
    }
  }
}

/// The checks of a set of tensors, in order.
public struct GradientReport: Sendable, CustomStringConvertible {
  public var entries: [TensorGradientCheck]

  public init(_ entries: [TensorGradientCheck]) {
    self.entries = entries
  }

  /// Whether every tensor passed.
  public var passed: Bool { entries.allSatisfy(\.passed) }

  /// The largest `relativeError` over all tensors (kinks and skipped tensors left out).
  public var maxError: Double { entries.map(\.maxRelativeError).max() ?? 0 }

  /// The check of `name`, if any.
  public subscript(name: String) -> TensorGradientCheck? { entries.first { $0.name == name } }

  public var description: String {
    entries.map { entry in
      if let activation = entry.notDifferentiableThrough {
        return "\(entry.name): not differentiable (\(activation))"
      }
      var text = "\(entry.name): \(entry.failures) of \(entry.checked) wrong"
      if let worst = entry.worst {
        text += ", worst [\(worst.index)] \(worst.analytic) vs \(worst.numerical)"
      }
      if entry.kinks > 0 { text += ", \(entry.kinks) at kinks" }
      return text
    }.joined(separator: "; ")
  }
}
