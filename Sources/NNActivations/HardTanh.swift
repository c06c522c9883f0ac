import NNProtocols

/// The hard tanh `g(z) = clip(z, −1, 1)`, a piecewise-linear tanh (PyTorch's `Hardtanh`).
///
/// `g'(z) = 1` for `−1 < z < 1`, `0` outside. NaN gives NaN, and so does its derivative.
///
/// See Also: `Tanh`, `HardSigmoid`, `ReLU6`.
public struct HardTanh: Activation, BuiltinActivation {
  static let registeredName = "hard_tanh"
  static let summary = "hard tanh: g(z) = clip(z, -1, 1), g' = 1 on (-1, 1)"

  /// The hard tanh activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"hard_tanh"`.
  public var name: String { Self.registeredName }
  /// `-1...1`: every output is in [−1, 1].
  public var outputRange: ClosedRange<Double> { -1...1 }

  /// `clip(z, −1, 1)`.
  public func value<S: NNScalar>(_ z: S) -> S { z < -1 ? -1 : (z > 1 ? 1 : z) }

  /// `1` for `−1 < z < 1`, else `0`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    keepingNaN(z, abs(z) < 1 ? 1 : 0)
  }

  /// `a[i] = hard_tanh(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i]·(1 or 0)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
