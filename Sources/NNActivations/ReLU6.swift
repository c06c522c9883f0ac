import NNProtocols

/// ReLU capped at 6: `g(z) = min(max(z, 0), 6)` (PyTorch's `ReLU6`, Keras's `relu6`).
///
/// `g'(z) = 1` for `0 < z < 6`, `0` outside. `relu6(−0) = +0`; NaN gives NaN, and so does its
/// derivative.
///
/// See Also: `ReLU`, `HardTanh`.
public struct ReLU6: Activation, BuiltinActivation {
  static let registeredName = "relu6"
  static let summary = "ReLU capped at 6: g(z) = min(max(z, 0), 6), g' = 1 on (0, 6)"

  /// The ReLU6 activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"relu6"`.
  public var name: String { Self.registeredName }
  /// `0...6`: every output is in [0, 6].
  public var outputRange: ClosedRange<Double> { 0...6 }

  /// `min(max(z, 0), 6)`.
  public func value<S: NNScalar>(_ z: S) -> S { z <= 0 ? 0 : (z > 6 ? 6 : z) }

  /// `1` for `0 < z < 6`, else `0`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    let belowSix: S = z < 6 ? 1 : 0
    return keepingNaN(z, z > 0 ? belowSix : 0)
  }

  /// `a[i] = relu6(z[i])`.
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
