import NNProtocols

/// The hard swish `g(z) = z·relu6(z + 3)/6`, a piecewise-polynomial `SiLU` (Howard et al., 2019;
/// PyTorch's `Hardswish`, Keras's `hard_silu`), also registered as `hard_silu`.
///
/// `g(z) = 0` for `z ≤ −3`, `z` for `z ≥ 3`, `z(z + 3)/6` between; `g'(z) = 0`, `1` and `(2z + 3)/6`
/// on those pieces (PyTorch's convention at the joins). NaN gives NaN, and so does its derivative.
///
/// See Also: `SiLU`, `HardSigmoid`.
public struct HardSwish: Activation, BuiltinActivation {
  static let registeredName = "hard_swish"
  static let aliases = ["hard_silu"]
  static let summary = "hard swish: g(z) = z * relu6(z + 3) / 6"

  /// The hard swish activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"hard_swish"` (also when built under its alias `hard_silu`).
  public var name: String { Self.registeredName }
  /// `−0.375...∞`: the minimum `−1.5·1.5/6 = −0.375` is reached at z = −1.5.
  public var outputRange: ClosedRange<Double> { -0.375...Double.infinity }

  /// `0` for `z ≤ −3`, `z` for `z ≥ 3`, `z(z + 3)/6` between.
  public func value<S: NNScalar>(_ z: S) -> S {
    // Every piece is computed and one selected, which compiles to branch-free code.
    let middle = z * (z + 3) / 6
    let upper = z >= 3 ? z : middle
    return z <= -3 ? 0 : upper
  }

  /// `0` for `z < −3`, `1` for `z > 3`, `(2z + 3)/6` between.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    // (2z + 3)/6, written with a multiplication: with a division in Double the compiler branched
    // around it, which costs ~20 ns per element on random data.
    let middle = z * S(1.0 / 3) + S(0.5)
    let upper = z > 3 ? 1 : middle
    return z < -3 ? 0 : upper
  }

  /// `a[i] = hard_swish(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i]·hard_swish'(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
