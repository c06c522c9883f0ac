import NNProtocols

/// The log-sigmoid `g(z) = log σ(z) = −softplus(−z)` (PyTorch's `LogSigmoid`, Keras's `log_sigmoid`).
///
/// Computed stably as `min(z, 0) − log1p(e^(−|z|))`. Its derivative reuses the output:
/// `g'(z) = 1 − σ(z) = 1 − e^a = −expm1(a)`. `g(−∞) = −∞`, `g(+∞) = 0`; NaN gives NaN.
///
/// See Also: `Sigmoid`, `Softplus`.
public struct LogSigmoid: Activation, BuiltinActivation {
  static let registeredName = "log_sigmoid"
  static let summary = "log-sigmoid: g(z) = log(sigmoid(z)) = -softplus(-z), g' = 1 - exp(a)"

  /// The log-sigmoid activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"log_sigmoid"`.
  public var name: String { Self.registeredName }
  /// `-∞...0`: every output is in (−∞, 0).
  public var outputRange: ClosedRange<Double> { -Double.infinity...0 }

  /// `min(z, 0) − log1p(e^(−|z|))`.
  public func value<S: NNScalar>(_ z: S) -> S {
    (z < 0 ? z : 0) - S.log1p(S.exp(-abs(z)))
  }

  /// `1 − σ(z) = −expm1(a)` with `a = log σ(z)`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { -S.expm1(a) }

  /// `a[i] = log σ(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i]·σ(−z[i])` (= `1 − σ(z)`), with `σ` from the whole-buffer kernel rather than
  /// `expm1`, which costs far more per element.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    forEachChunk(of: count, as: S.self) { offset, length, s in
      let (z, dA, dZ) = (z + offset, dA + offset, dZ + offset)
      for i in 0..<length { s[i] = -z[i] }
      S.sigmoid(s, s, count: length)
      for i in 0..<length { dZ[i] = dA[i] * s[i] }
    }
  }
}
