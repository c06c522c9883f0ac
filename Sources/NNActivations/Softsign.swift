import NNProtocols

/// Softsign `g(z) = z / (1 + |z|)`, squashing into (−1, 1) more gently than tanh (PyTorch's
/// `Softsign`, Keras's `softsign`).
///
/// `g'(z) = 1 / (1 + |z|)²`. The output would give it as `(1 − |a|)²`, but that subtraction loses
/// precision for large |z|, so it is computed from `z`. `g(±∞) = ±1`; NaN gives NaN.
///
/// See Also: `Tanh`.
public struct Softsign: Activation, BuiltinActivation {
  static let registeredName = "softsign"
  static let summary = "softsign: g(z) = z / (1 + |z|), g' = 1 / (1 + |z|)^2"

  /// The softsign activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"softsign"`.
  public var name: String { Self.registeredName }
  /// `-1...1`: every output is in (−1, 1).
  public var outputRange: ClosedRange<Double> { -1...1 }

  /// `z / (1 + |z|)`.
  public func value<S: NNScalar>(_ z: S) -> S {
    let x = clampedToFinite(z)  // ∞/∞ would be NaN; the limits are ±1
    return x / (1 + abs(x))
  }

  /// `1 / (1 + |z|)²`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    let d = 1 / (1 + abs(z))
    return d * d
  }

  /// `a[i] = softsign(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i] / (1 + |z[i]|)²`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
