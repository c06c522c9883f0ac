import NNProtocols

/// Softplus `g(z) = (1/β)·log(1 + e^(β·z))`, a smooth ReLU; linear above a threshold, as PyTorch's
/// `Softplus(beta, threshold)`.
///
/// For `β·z > threshold` it returns `z` itself (the difference is below `e^(−threshold)/β`), and its
/// derivative is 1 there. Otherwise it is computed stably as `(max(βz, 0) + log1p(e^(−|βz|))) / β`,
/// which never overflows. The derivative is `σ(β·z)`, recovered from the output:
/// `σ(βz) = 1 − e^(−β·a) = −expm1(−β·a)` (since `e^(β·a) = 1 + e^(β·z)`).
/// `softplus(−∞) = 0`, `softplus(1e4) = 1e4`; NaN gives NaN.
///
/// - Parameters:
///   - beta: the sharpness `β > 0`; default 1.
///   - threshold: above `β·z > threshold` the function is linear; `> 0`, default 20.
///
/// See Also: `ReLU`, `LogSigmoid`, `Mish`.
public struct Softplus: Activation, BuiltinActivation {
  static let registeredName = "softplus"
  static let summary =
    "softplus: g(z) = log(1 + exp(beta*z)) / beta, linear where beta*z > threshold; g' = sigmoid(beta*z)"
  static let optionSpecs = [
    OptionSpec(
      "beta", .real(minimum: 0, minimumExclusive: true), default: .real(1),
      help: "sharpness: larger beta is closer to relu"),
    OptionSpec(
      "threshold", .real(minimum: 0, minimumExclusive: true), default: .real(20),
      help: "the function is linear (g(z) = z) where beta*z exceeds this"),
  ]

  /// The sharpness `β`.
  public let beta: Double
  /// Where `β·z` exceeds this, `g(z) = z`.
  public let threshold: Double

  /// A softplus with `beta` (finite, `> 0`; default 1) and `threshold` (finite, `> 0`; default 20).
  public init(beta: Double = 1, threshold: Double = 20) {
    precondition(beta.isFinite && beta > 0, "softplus: beta must be finite and > 0")
    precondition(threshold.isFinite && threshold > 0, "softplus: threshold must be finite and > 0")
    self.beta = beta
    self.threshold = threshold
  }
  init(options: Options) {
    self.init(beta: options.real("beta"), threshold: options.real("threshold"))
  }

  /// `"softplus"`.
  public var name: String { Self.registeredName }
  /// `0...∞`: every output is in (0, ∞).
  public var outputRange: ClosedRange<Double> { 0...Double.infinity }

  /// `z` where `β·z > threshold`, else `(max(βz, 0) + log1p(e^(−|βz|))) / β`.
  public func value<S: NNScalar>(_ z: S) -> S {
    let bz = S(beta) * z
    if bz > S(threshold) { return z }
    return stableSoftplus(bz) / S(beta)
  }

  /// `1` where `β·z > threshold`, else `σ(βz) = −expm1(−β·a)`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    S(beta) * z > S(threshold) ? 1 : -S.expm1(-S(beta) * a)
  }

  /// `a[i] = softplus(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ[i] = dA[i]·σ(β·z[i])` (1 in the linear region), with `σ` from the whole-buffer kernel
  /// rather than `expm1`, which costs far more per element.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    let (beta, threshold) = (S(self.beta), S(self.threshold))
    forEachChunk(of: count, as: S.self) { offset, length, s in
      let (z, dA, dZ) = (z + offset, dA + offset, dZ + offset)
      for i in 0..<length { s[i] = beta * z[i] }
      S.sigmoid(s, s, count: length)
      for i in 0..<length { dZ[i] = dA[i] * (beta * z[i] > threshold ? 1 : s[i]) }
    }
  }
}
