import NNProtocols

/// The rectified linear unit `g(z) = max(z, 0)`.
///
/// `g'(z) = 1` for `z > 0` and `0` for `z ≤ 0` (the convention of PyTorch and Keras at the kink). It
/// does not saturate for positive inputs, so gradients do not vanish through deep stacks the way they
/// do through sigmoids (the second tutorial's remedy). `relu(−0) = +0`; NaN gives NaN, and so does its
/// derivative.
///
/// See Also: `LeakyReLU`, `ELU`, `ReLU6`, `GELU`, `SiLU`.
public struct ReLU: KernelActivation, BuiltinActivation {
  static let registeredName = "relu"
  static let summary = "rectified linear unit: g(z) = max(z, 0), g' = 1 if z > 0 else 0"

  /// The ReLU activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"relu"`.
  public var name: String { Self.registeredName }
  /// `0...∞`: every output is in [0, ∞).
  public var outputRange: ClosedRange<Double> { 0...Double.infinity }
  /// `.relu`: the whole-buffer kernel of `max(z, 0)` and `dZ = dA ∘ (z > 0 ? 1 : 0)`.
  public var kernel: FusedActivationKernel { .relu }

  /// `max(z, 0)`, keeping NaN (`NaN <= 0` is false) and turning −0 into +0.
  public func value<S: NNScalar>(_ z: S) -> S { z <= 0 ? 0 : z }

  /// `1` for `z > 0`, else `0`; NaN for NaN.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { z > 0 ? 1 : keepingNaN(z, 0) }

  /// `a[i] = max(z[i], 0)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }
}
