import NNProtocols

/// Compares analytic gradients (back-propagation) with central finite differences, in `Double`.
///
/// For every scalar `θ` of a checked tensor, the numerical derivative is
/// `(L(θ + h) − L(θ − h)) / 2h`, whose error is O(h²); the reported error for each tensor is the largest
/// `|analytic − numerical| / max(|analytic| + |numerical|, floor)` over its elements, so tiny gradients
/// are compared absolutely rather than relatively.
public struct GradientChecker: Sendable {
  /// The step `h`.
  public var step: Double
  /// Below this magnitude, errors are measured absolutely.
  public var floor: Double

  public init(step: Double = 1e-6, floor: Double = 1e-7) {
    self.step = step
    self.floor = floor
  }

  /// The error measure between an analytic and a numerical derivative.
  public func relativeError(_ analytic: Double, _ numerical: Double) -> Double {
    if analytic == numerical { return 0 }
    return abs(analytic - numerical) / max(abs(analytic) + abs(numerical), floor)
  }

  /// The numerical gradient of `loss` with respect to every element of `tensor` (which is nudged in
  /// place and restored).
  public func numericalGradient(of tensor: Matrix<Double>, loss: () -> Double) -> [Double] {
    (0..<tensor.count).map { i in
      let original = tensor.base[i]
      tensor.base[i] = original + step
      let plus = loss()
      tensor.base[i] = original - step
      let minus = loss()
      tensor.base[i] = original
      return (plus - minus) / (2 * step)
    }
  }

  /// The largest error between `analytic` and the numerical gradient of `loss` over `tensor`.
  public func maxError(
    analytic: Matrix<Double>, tensor: Matrix<Double>, loss: () -> Double
  ) -> Double {
    precondition(analytic.count == tensor.count, "gradient and tensor differ in size")
    let numerical = numericalGradient(of: tensor, loss: loss)
    return zip(analytic.scalars, numerical).map(relativeError).max() ?? 0
  }

  /// Checks a layer: its parameter gradients and its input gradient, for the scalar loss
  /// `L = Σ output ∘ R` with fixed random weights `R` (so `∂L/∂output = R`).
  ///
  /// - Returns: the largest error for each parameter (by name) and for `"input"`.
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
    var entries: [(String, Double)] = []
    for parameter in layer.parameters {
      let analytic = parameter.gradient.copy()
      entries.append(
        (parameter.name, maxError(analytic: analytic, tensor: parameter.value, loss: loss)))
    }
    entries.append(("input", maxError(analytic: inputGradient, tensor: input, loss: loss)))
    return GradientReport(entries)
  }

  /// Checks an activation's derivative at `points` against central differences of its value.
  public func check(activation: any Activation, at points: [Double]) -> Double {
    points.map { z in
      let numerical = (activation.value(z + step) - activation.value(z - step)) / (2 * step)
      return relativeError(activation.derivative(z, output: activation.value(z)), numerical)
    }.max() ?? 0
  }

  /// Checks an activation's buffer-level `backward` against central differences of its buffer-level
  /// `forward` (the paths the trainer uses).
  public func checkBuffers(activation: any Activation, at points: [Double]) -> Double {
    let z = Matrix<Double>(rows: 1, cols: points.count, scalars: points)
    let a = Matrix<Double>(rows: 1, cols: points.count)
    activation.forward(z, into: a)
    let ones = Matrix<Double>(rows: 1, cols: points.count)
    ones.fill(1)
    let dZ = Matrix<Double>(rows: 1, cols: points.count)
    activation.backward(input: z, output: a, outputGradient: ones, into: dZ)
    let shifted = Matrix<Double>(rows: 1, cols: points.count)
    let plus = Matrix<Double>(rows: 1, cols: points.count)
    let minus = Matrix<Double>(rows: 1, cols: points.count)
    for i in 0..<points.count { shifted.base[i] = points[i] + step }
    activation.forward(shifted, into: plus)
    for i in 0..<points.count { shifted.base[i] = points[i] - step }
    activation.forward(shifted, into: minus)
    return (0..<points.count).map { i in
      relativeError(dZ.base[i], (plus.base[i] - minus.base[i]) / (2 * step))
    }.max() ?? 0
  }

  /// Checks a loss's gradient with respect to the predictions.
  public func check(loss: any Loss, predictions: Matrix<Double>, targets: Matrix<Double>) -> Double
  {
    let analytic = Matrix<Double>(rows: predictions.rows, cols: predictions.cols)
    loss.gradient(predictions: predictions, targets: targets, into: analytic)
    return maxError(analytic: analytic, tensor: predictions) {
      loss.value(predictions: predictions, targets: targets)
    }
  }
}

/// The largest gradient error for each checked tensor, in order.
public struct GradientReport: Sendable, CustomStringConvertible {
  public var entries: [(name: String, maxError: Double)]

  public init(_ entries: [(String, Double)]) {
    self.entries = entries.map { (name: $0.0, maxError: $0.1) }
  }

  /// The largest error over all tensors.
  public var maxError: Double { entries.map(\.maxError).max() ?? 0 }

  /// The error for `name`, if checked.
  public subscript(name: String) -> Double? { entries.first { $0.name == name }?.maxError }

  public var description: String {
    entries.map { "\($0.name): \($0.maxError)" }.joined(separator: ", ")
  }
}
