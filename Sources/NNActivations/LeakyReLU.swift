import NNProtocols

/// The leaky ReLU `g(z) = z` for `z > 0`, `slope·z` otherwise.
///
/// `g'(z) = 1` for `z > 0`, `slope` otherwise, so units never stop learning completely (a dying ReLU).
/// With `slope = 0` it is `ReLU` (and `g(−∞) = 0`). NaN gives NaN, and so does its derivative.
///
/// - Parameter slope: the gradient for negative inputs, `≥ 0`; default 0.01 (PyTorch's
///   `negative_slope`).
///
/// See Also: `ReLU`, `ELU`.
public struct LeakyReLU: Activation, BuiltinActivation {
  static let registeredName = "leaky_relu"
  static let summary = "leaky ReLU: g(z) = z if z > 0 else slope*z, g' = 1 or slope"
  static let optionSpecs = [
    OptionSpec(
      "slope", .real(minimum: 0), default: .real(0.01),
      help: "gradient for negative inputs (PyTorch's negative_slope)")
  ]

  /// The gradient for negative inputs.
  public let slope: Double

  /// A leaky ReLU with `slope` (finite, `≥ 0`; default 0.01).
  public init(slope: Double = 0.01) {
    precondition(slope.isFinite && slope >= 0, "leaky_relu: slope must be finite and >= 0")
    self.slope = slope
  }
  init(options: Options) { self.init(slope: options.real("slope")) }

  /// `"leaky_relu"`.
  public var name: String { Self.registeredName }
  /// Unbounded, `−∞...∞`, for a positive slope (negative inputs are scaled, not cut off); `0...∞` for
  /// slope 0, which is ReLU.
  public var outputRange: ClosedRange<Double> {
    slope == 0 ? 0...Double.infinity : -Double.infinity...Double.infinity
  }

  /// `z` for `z > 0`, `slope·z` otherwise.
  public func value<S: NNScalar>(_ z: S) -> S {
    // With slope 0 this is ReLU (slope·z would give 0·(−∞) = NaN at −∞, where the limit is 0).
    if slope == 0 { return ReLU().value(z) }
    return z > 0 ? z : S(slope) * z
  }

  /// `1` for `z > 0`, `slope` otherwise; NaN for NaN.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    z > 0 ? 1 : keepingNaN(z, S(slope))
  }

  /// `a[i] = leaky_relu(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    if slope == 0 {
      ReLU().forward(z, a, count: count)
      return
    }
    let slope = S(self.slope)
    for i in 0..<count { a[i] = z[i] > 0 ? z[i] : slope * z[i] }
  }

  /// `dZ[i] = dA[i]·(1 or slope)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
