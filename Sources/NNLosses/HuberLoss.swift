import NNProtocols

/// The Huber loss, as PyTorch's `HuberLoss(delta)` (reduction `mean`): quadratic for small errors,
/// linear for large ones, so outliers pull less than under the squared error.
///
/// With `d = a − y`: `ℓ(d) = ½d²` for `|d| ≤ δ`, `δ·(|d| − ½δ)` otherwise; `L = (1/(m·n))·Σᵢⱼ ℓ(dᵢⱼ)`.
/// Gradient `∂L/∂aᵢⱼ = ℓ'(dᵢⱼ)/(m·n)` with `ℓ'(d) = d` for `|d| ≤ δ`, `δ·sign(d)` otherwise (bounded
/// by δ). NaN gives NaN. An empty batch has loss 0.
///
/// - Parameter delta: where the loss turns from quadratic to linear, `> 0`; default 1.
///
/// See Also: `MeanSquaredError`, `MeanAbsoluteError`.
public struct HuberLoss: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "huber"
  static let summary =
    "Huber loss (PyTorch HuberLoss): 0.5*d^2 if |d| <= delta else delta*(|d| - delta/2), d = a - y; mean over all elements"
  static let optionSpecs = [
    OptionSpec(
      "delta", .real(minimum: 0, minimumExclusive: true), default: .real(1),
      help: "the error size where the loss turns from quadratic to linear")
  ]

  /// Where the loss turns from quadratic to linear.
  public let delta: Double

  /// A Huber loss with `delta` (finite, `> 0`; default 1).
  public init(delta: Double = 1) {
    precondition(delta.isFinite && delta > 0, "huber: delta must be finite and > 0")
    self.delta = delta
  }
  init(options: Options) { self.init(delta: options.real("delta")) }

  /// `"huber"`.
  public var name: String { Self.registeredName }
  /// `.values`: any real predictions.
  public var expectedOutput: LossInput { .values }

  /// Targets must have `outputs` columns of finite numbers.
  public func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem? {
    elementwiseTargetProblem(targets, outputs: outputs, loss: name)
  }

  /// The loss, and the gradient when one is given.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func evaluate<S: NNScalar>(
    _ predictions: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?
  ) -> Double {
    checkSameShape(predictions, targets, gradient: gradient, loss: name)
    let count = predictions.count
    guard count > 0 else { return 0 }
    let (a, y, g) = (predictions.base, targets.base, gradient?.base)
    let scale = 1 / Double(count)  // 1/(m·n)
    var sum = 0.0
    for i in 0..<count {
      let d = Double(a[i]) - Double(y[i])
      if abs(d) <= delta {
        sum += 0.5 * d * d
        g?[i] = S(scale * d)
      } else {
        // |d| > δ, or d is NaN (then both lines give NaN).
        sum += delta * (abs(d) - 0.5 * delta)
        let sign: Double = d > 0 ? 1 : (d < 0 ? -1 : d)
        g?[i] = S(scale * delta * sign)
      }
    }
    return sum * scale
  }
}
