import NNProtocols

/// Mish `g(z) = z·tanh(softplus(z))` (Misra, 2019; PyTorch's `Mish`, Keras's `mish`).
///
/// With `w = tanh(softplus(z))`: `g'(z) = w + z·(1 − w²)·σ(z)` (since `softplus' = σ`), computed from
/// `z`. Saturates without NaN: `g(+∞) = +∞`, `g(−∞) = 0`; NaN gives NaN.
///
/// See Also: `SiLU`, `Softplus`.
public struct Mish: Activation, BuiltinActivation {
  static let registeredName = "mish"
  static let summary = "mish: g(z) = z * tanh(softplus(z))"

  /// The Mish activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"mish"`.
  public var name: String { Self.registeredName }

  /// `z·tanh(log(1 + e^z))`.
  public func value<S: NNScalar>(_ z: S) -> S {
    let x = clampedBelow(z)  // at −∞, −∞·0 would be NaN; the limit is 0
    return x * S.tanh(stableSoftplus(x))
  }

  /// `w + z·(1 − w²)·σ(z)` with `w = tanh(softplus(z))`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    let x = clampedToFinite(z)  // the limits at ±∞ (1 and 0) without ∞·0
    let w = S.tanh(stableSoftplus(x))
    return w + x * (1 - w * w) * stableSigmoid(x)
  }

  /// `a[i] = mish(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i]·mish'(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
