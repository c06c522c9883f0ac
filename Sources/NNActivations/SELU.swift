import NNProtocols

/// The scaled exponential linear unit `g(z) = λ·z` for `z > 0`, `λ·α·(e^z − 1)` otherwise, with the
/// self-normalizing constants `α ≈ 1.6732632` and `λ ≈ 1.0507010` (Klambauer et al., 2017; as PyTorch
/// and Keras).
///
/// Its derivative reuses the output: `λ` for `z > 0`, `λ·α·e^z = a + λα` otherwise. `e^z − 1` is
/// computed as in `ELU` (`expm1`, or `2t/(1 − t)` with `t = tanh(z/2)` in the buffer form). `g(−∞) = −λα`;
/// NaN gives NaN. (For inputs beyond `greatestFiniteMagnitude / λ` the output overflows to +∞, as the
/// true value is not representable.)
///
/// See Also: `ELU`.
public struct SELU: Activation, BuiltinActivation {
  static let registeredName = "selu"
  static let summary =
    "scaled ELU: g(z) = scale*z if z > 0 else scale*alpha*(exp(z) - 1), alpha=1.6733, scale=1.0507"

  /// `α = 1.6732632423543772848170429916717`.
  public static let alpha = 1.6732632423543772848170429916717
  /// `λ = 1.0507009873554804934193349852946`.
  public static let scale = 1.0507009873554804934193349852946

  /// The SELU activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"selu"`.
  public var name: String { Self.registeredName }
  /// `−λα...∞`: negative inputs saturate at `−λα ≈ −1.7581`.
  public var outputRange: ClosedRange<Double> { -(Self.scale * Self.alpha)...Double.infinity }

  /// `λ·z` for `z > 0`, `λα·expm1(z)` otherwise.
  public func value<S: NNScalar>(_ z: S) -> S {
    z > 0 ? S(Self.scale) * z : S(Self.scale * Self.alpha) * S.expm1(z)
  }

  /// `λ` for `z > 0`, `a + λα` otherwise.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    z > 0 ? S(Self.scale) : a + S(Self.scale * Self.alpha)
  }

  /// `a[i] = selu(z[i])`, with `e^z − 1 = 2t/(1 − t)`, `t = tanh(z/2)` from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    let scale = S(Self.scale)
    let scaleAlpha = S(Self.scale * Self.alpha)
    forEachChunk(of: count, as: S.self) { offset, length, t in
      let (z, a) = (z + offset, a + offset)
      for i in 0..<length { t[i] = z[i] / 2 }
      S.tanh(t, t, count: length)
      for i in 0..<length {
        let negative = scaleAlpha * (2 * t[i] / (1 - t[i]))  // λα·(e^z − 1)
        a[i] = z[i] > 0 ? scale * z[i] : negative
      }
    }
  }

  /// `dZ[i] = dA[i]·(λ or a[i] + λα)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
