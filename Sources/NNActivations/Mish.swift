import NNProtocols

/// Mish `g(z) = z·tanh(softplus(z))` (Misra, 2019; PyTorch's `Mish`, Keras's `mish`).
///
/// With `w = tanh(softplus(z))`: `g'(z) = w + z·(1 − w²)·σ(z)` (since `softplus' = σ`), computed from
/// `z`. Both `w` and `σ(z)` are rational functions of `m = e^(−|z|)` (see `tanhSoftplus`), so one
/// exponential per element suffices, and the buffer forms take it from the `NNScalar.exp` kernel.
/// Saturates without NaN: `g(+∞) = +∞`, `g(−∞) = 0`; NaN gives NaN.
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
  /// `−0.3089...∞`: the minimum is about −0.308843 (at z ≈ −1.1924), just inside the bound.
  public var outputRange: ClosedRange<Double> { -0.3089...Double.infinity }

  /// `tanh(softplus(z))` from `m = e^(−|z|)`, without overflow and without a logarithm.
  ///
  /// With `n = e^z`, `tanh(log(1 + n)) = ((1 + n)² − 1)/((1 + n)² + 1) = n(n + 2)/(n(n + 2) + 2)`:
  /// used as is for `z < 0` (`n = m`), and divided through by `n²` for `z ≥ 0` (`1/n = m`):
  /// `(1 + 2m)/(1 + 2m + 2m²)`.
  static func tanhSoftplus<S: NNScalar>(_ z: S, m: S) -> S {
    let positive = (1 + 2 * m) / (1 + 2 * m + 2 * m * m)
    let negative = m * (m + 2) / (m * (m + 2) + 2)
    return z >= 0 ? positive : negative
  }

  /// `σ(z)` from `m = e^(−|z|)`: `1/(1 + m)` for `z ≥ 0`, `m/(1 + m)` otherwise.
  static func sigmoid<S: NNScalar>(_ z: S, m: S) -> S {
    z >= 0 ? 1 / (1 + m) : m / (1 + m)
  }

  /// `mish'(z) = w + z·(1 − w²)·σ(z)` from `m = e^(−|z|)`.
  static func derivative<S: NNScalar>(_ z: S, m: S) -> S {
    let x = clampedToFinite(z)  // the limits at ±∞ (1 and 0) without ∞·0
    let w = tanhSoftplus(z, m: m)
    return w + x * (1 - w * w) * sigmoid(z, m: m)
  }

  /// `z·tanh(log(1 + e^z))`.
  public func value<S: NNScalar>(_ z: S) -> S {
    // At −∞, −∞·0 would be NaN; the limit is 0.
    clampedBelow(z) * Self.tanhSoftplus(z, m: S.exp(-abs(z)))
  }

  /// `w + z·(1 − w²)·σ(z)` with `w = tanh(softplus(z))`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    Self.derivative(z, m: S.exp(-abs(z)))
  }

  /// `a[i] = mish(z[i])`, with `e^(−|z|)` from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    forEachChunk(of: count, as: S.self) { offset, length, m in
      let (z, a) = (z + offset, a + offset)
      for i in 0..<length { m[i] = -abs(z[i]) }
      S.exp(m, m, count: length)
      for i in 0..<length { a[i] = clampedBelow(z[i]) * Self.tanhSoftplus(z[i], m: m[i]) }
    }
  }

  /// `dZ[i] = dA[i]·mish'(z[i])`, with `e^(−|z|)` from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    forEachChunk(of: count, as: S.self) { offset, length, m in
      let (z, dA, dZ) = (z + offset, dA + offset, dZ + offset)
      for i in 0..<length { m[i] = -abs(z[i]) }
      S.exp(m, m, count: length)
      for i in 0..<length { dZ[i] = dA[i] * Self.derivative(z[i], m: m[i]) }
    }
  }
}
