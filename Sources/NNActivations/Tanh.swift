import NNProtocols

/// The hyperbolic tangent `tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))`, squashing into (−1, 1).
///
/// Zero-centred, unlike the sigmoid (`tanh(z) = 2σ(2z) − 1`). Its derivative reuses the forward output:
/// `tanh'(z) = 1 − a²`, equal to 1 at z = 0. `tanh(±∞) = ±1`, NaN gives NaN. The forward buffer form
/// calls `NNScalar.tanh`, the whole-buffer kernel.
///
/// See Also: `Sigmoid`, `HardTanh`, `Softsign`.
public struct Tanh: KernelActivation, BuiltinActivation {
  static let registeredName = "tanh"
  static let summary = "hyperbolic tangent: g(z) = tanh(z), g' = 1 - a^2"

  /// The tanh activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"tanh"`.
  public var name: String { Self.registeredName }
  /// `-1...1`: every output is in (−1, 1).
  public var outputRange: ClosedRange<Double> { -1...1 }
  /// `.tanh`: the whole-buffer kernel of `tanh(z)` and `dZ = dA ∘ (1 − a²)`.
  public var kernel: FusedActivationKernel { .tanh }

  /// `tanh(z)`.
  public func value<S: NNScalar>(_ z: S) -> S { S.tanh(z) }

  /// `tanh'(z) = 1 − a²` with `a = tanh(z)`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 1 - a * a }

  /// `a = tanh(z)` through the whole-buffer kernel `S.tanh`.
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    S.tanh(z, a, count: count)
  }
}
