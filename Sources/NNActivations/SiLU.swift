import NNProtocols

/// The sigmoid-weighted linear unit `g(z) = z·σ(z)`, also registered as `swish` (Ramachandran et al.,
/// 2017; PyTorch's `SiLU`, Keras's `silu`/`swish`).
///
/// `g'(z) = σ(z) + z·σ(z)·(1 − σ(z)) = σ(z)·(1 + z·(1 − σ(z)))`, computed from `z` (the output alone
/// does not give `σ(z)` near 0). The buffer forms take `σ(z)` from the `NNScalar.sigmoid` kernel.
/// Saturates without NaN: `g(+∞) = +∞`, `g(−∞) = 0`; NaN gives NaN.
///
/// See Also: `GELU`, `Mish`, `HardSwish`, `Sigmoid`.
public struct SiLU: Activation, BuiltinActivation {
  static let registeredName = "silu"
  static let aliases = ["swish"]
  static let summary = "sigmoid-weighted linear unit (swish): g(z) = z * sigmoid(z)"

  /// The SiLU activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"silu"` (also when built under its alias `swish`).
  public var name: String { Self.registeredName }
  /// `−0.2785...∞`: the minimum is `−W(1/e) ≈ −0.278465` (at z ≈ −1.2785), just inside the bound.
  public var outputRange: ClosedRange<Double> { -0.2785...Double.infinity }

  /// `z·σ(z)`.
  public func value<S: NNScalar>(_ z: S) -> S {
    let x = clampedBelow(z)  // at −∞, −∞·0 would be NaN; the limit is 0
    return x * stableSigmoid(x)
  }

  /// `σ(z)·(1 + z·(1 − σ(z)))`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    let x = clampedToFinite(z)  // the limits at ±∞ (1 and 0) without ∞·0
    let s = stableSigmoid(x)
    return s * (1 + x * (1 - s))
  }

  /// `a[i] = z[i]·σ(z[i])`, with `σ` from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    forEachChunk(of: count, as: S.self) { offset, length, s in
      let (z, a) = (z + offset, a + offset)
      S.sigmoid(z, s, count: length)
      for i in 0..<length { a[i] = clampedBelow(z[i]) * s[i] }
    }
  }

  /// `dZ[i] = dA[i]·σ(z)(1 + z(1 − σ(z)))`, with `σ` from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    forEachChunk(of: count, as: S.self) { offset, length, s in
      let (z, dA, dZ) = (z + offset, dA + offset, dZ + offset)
      S.sigmoid(z, s, count: length)
      for i in 0..<length {
        let x = clampedToFinite(z[i])
        dZ[i] = dA[i] * (s[i] * (1 + x * (1 - s[i])))
      }
    }
  }
}
