import NNProtocols

/// The identity `g(z) = z`, for linear output layers (regression); also registered as `linear`
/// (Keras's name).
///
/// `g'(z) = 1`. NaN gives NaN, and so does its derivative, so a NaN input is never hidden by the
/// backward pass.
///
/// See Also: `ReLU`, `LeakyReLU`.
public struct Identity: Activation, BuiltinActivation {
  static let registeredName = "identity"
  static let aliases = ["linear"]
  static let summary = "identity (linear): g(z) = z, g'(z) = 1"

  /// The identity activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"identity"`.
  public var name: String { Self.registeredName }
  /// `.identity`: a dense layer adds its bias in one vectorized pass after its product.
  public var fusedKernel: FusedActivationKernel? { .identity }

  /// `g(z) = z`.
  public func value<S: NNScalar>(_ z: S) -> S { z }

  /// `g'(z) = 1` (NaN for a NaN input).
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { keepingNaN(z, 1) }

  /// `a = z`, copied element by element (`a` may equal `z`).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = z[i] }
  }

  /// `dZ = dA` (NaN where `z` is NaN).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = keepingNaN(z[i], dA[i]) }
  }
}
