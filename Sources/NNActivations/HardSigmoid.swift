import NNProtocols

/// The hard sigmoid `g(z) = clip(z/6 + 1/2, 0, 1) = relu6(z + 3)/6`, a piecewise-linear sigmoid
/// (PyTorch's `Hardsigmoid`, Keras 3's `hard_sigmoid`).
///
/// `g'(z) = 1/6` for `−3 < z < 3`, `0` outside. `g(−∞) = 0`, `g(+∞) = 1`; NaN gives NaN, and so does
/// its derivative.
///
/// See Also: `Sigmoid`, `HardSwish`, `HardTanh`.
public struct HardSigmoid: Activation, BuiltinActivation {
  static let registeredName = "hard_sigmoid"
  static let summary = "hard sigmoid: g(z) = clip(z/6 + 1/2, 0, 1), g' = 1/6 on (-3, 3)"

  /// The hard sigmoid activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"hard_sigmoid"`.
  public var name: String { Self.registeredName }
  /// `0...1`: every output is in [0, 1].
  public var outputRange: ClosedRange<Double> { 0...1 }

  /// `clip(z/6 + 1/2, 0, 1)`.
  public func value<S: NNScalar>(_ z: S) -> S {
    let y = z / 6 + S(0.5)
    return y < 0 ? 0 : (y > 1 ? 1 : y)
  }

  /// `1/6` for `−3 < z < 3`, else `0`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    keepingNaN(z, abs(z) < 3 ? 1 / 6 : 0)
  }

  /// `a[i] = hard_sigmoid(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i]·(1/6 or 0)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
