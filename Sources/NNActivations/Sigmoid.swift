import NNProtocols

/// The logistic sigmoid `σ(z) = 1 / (1 + e^(−z))`, squashing any real number into (0, 1).
///
/// Its derivative reuses the forward output: `σ'(z) = σ(z)·(1 − σ(z)) = a(1 − a)`. It is at most 0.25
/// (at z = 0), which is why gradients vanish through deep stacks of sigmoid layers (the second
/// tutorial's remedy: ReLU).
///
/// Computed without overflow (the exponential is only ever taken of −|z|): `σ(−1e4) = 0`,
/// `σ(+∞) = 1`, NaN gives NaN. The buffer forms call `NNScalar.sigmoid`, the whole-buffer kernel.
///
/// See Also: `Tanh`, `HardSigmoid`, `LogSigmoid`, `SiLU`.
public struct Sigmoid: KernelActivation, BuiltinActivation {
  static let registeredName = "sigmoid"
  static let summary = "logistic sigmoid: g(z) = 1 / (1 + exp(-z)), g' = a(1 - a)"

  /// The sigmoid activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"sigmoid"`.
  public var name: String { Self.registeredName }
  /// `0...1`: every output is in (0, 1).
  public var outputRange: ClosedRange<Double> { 0...1 }
  /// `.sigmoid`: the whole-buffer kernel of `σ(z)` and `dZ = dA ∘ a(1 − a)`.
  public var kernel: FusedActivationKernel { .sigmoid }

  /// `σ(z) = 1 / (1 + e^(−z))`.
  public func value<S: NNScalar>(_ z: S) -> S { stableSigmoid(z) }

  /// `σ'(z) = a(1 − a)` with `a = σ(z)`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { a * (1 - a) }

  /// `a = σ(z)` through the whole-buffer kernel `S.sigmoid`.
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    S.sigmoid(z, a, count: count)
  }
}
