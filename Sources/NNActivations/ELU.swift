import NNProtocols

/// The exponential linear unit `g(z) = z` for `z > 0`, `α·(e^z − 1)` otherwise.
///
/// Smooth at 0 when `α = 1`, it saturates to `−α` for very negative inputs (`g(−∞) = −α`). Its
/// derivative reuses the output: `g'(z) = 1` for `z > 0`, `α·e^z = a + α` otherwise. `e^z − 1` is
/// computed exactly near 0: with `expm1` in the scalar form, and as `2t/(1 − t)` with `t = tanh(z/2)`
/// in the buffer form, which runs through the `NNScalar.tanh` kernel. NaN gives NaN, and so does its
/// derivative.
///
/// - Parameter alpha: the negative saturation value, `> 0`; default 1.
///
/// See Also: `SELU` (a scaled ELU), `LeakyReLU`.
public struct ELU: Activation, BuiltinActivation {
  static let registeredName = "elu"
  static let summary = "exponential linear unit: g(z) = z if z > 0 else alpha*(exp(z) - 1)"
  static let optionSpecs = [
    OptionSpec(
      "alpha", .real(minimum: 0, minimumExclusive: true), default: .real(1),
      help: "saturation value for negative inputs: g(-inf) = -alpha")
  ]

  /// The negative saturation value `α`.
  public let alpha: Double

  /// An ELU with `alpha` (finite, `> 0`; default 1).
  public init(alpha: Double = 1) {
    precondition(alpha.isFinite && alpha > 0, "elu: alpha must be finite and > 0")
    self.alpha = alpha
  }
  init(options: Options) { self.init(alpha: options.real("alpha")) }

  /// `"elu"`.
  public var name: String { Self.registeredName }
  /// `−alpha...∞`: negative inputs saturate at −alpha.
  public var outputRange: ClosedRange<Double> { -alpha...Double.infinity }

  /// `z` for `z > 0`, `α·expm1(z)` otherwise.
  public func value<S: NNScalar>(_ z: S) -> S { z > 0 ? z : S(alpha) * S.expm1(z) }

  /// `1` for `z > 0`, `a + α` (= `α·e^z`) otherwise.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { z > 0 ? 1 : a + S(alpha) }

  /// `a[i] = elu(z[i])`, with `e^z − 1 = 2t/(1 − t)`, `t = tanh(z/2)` from the whole-buffer kernel
  /// (exact near 0 like `expm1`; `1 − t ≥ 1` for `z ≤ 0`, so nothing cancels).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    let alpha = S(self.alpha)
    forEachChunk(of: count, as: S.self) { offset, length, t in
      let (z, a) = (z + offset, a + offset)
      for i in 0..<length { t[i] = z[i] / 2 }
      S.tanh(t, t, count: length)
      for i in 0..<length {
        let negative = alpha * (2 * t[i] / (1 - t[i]))  // α·(e^z − 1)
        a[i] = z[i] > 0 ? z[i] : negative
      }
    }
  }

  /// `dZ[i] = dA[i]·(1 or a[i] + α)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }
}
