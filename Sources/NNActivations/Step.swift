import NNProtocols

/// The Heaviside step: `g(z) = 1` for `z ≥ 0` (including −0), `0` for `z < 0`; NaN gives NaN.
///
/// Like `Sign`, it evaluates hand-set threshold units; its derivative is 0 wherever it exists, so
/// `isTrainable` is `false` and the pipeline refuses to train a network that uses it.
///
/// See Also: `Sign`, `Sigmoid` (its smooth, trainable counterpart).
public struct Step: Activation, BuiltinActivation {
  static let registeredName = "step"
  static let summary = "Heaviside step: g(z) = 1 if z >= 0 else 0; derivative 0 (not trainable)"

  /// The step activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"step"`.
  public var name: String { Self.registeredName }
  /// `0...1`: every output is in {0, 1}.
  public var outputRange: ClosedRange<Double> { 0...1 }

  /// `false`: the derivative is zero almost everywhere.
  public var isTrainable: Bool { false }

  /// `1` for `z ≥ 0`, `0` for `z < 0`, NaN for NaN.
  public func value<S: NNScalar>(_ z: S) -> S { z >= 0 ? 1 : (z < 0 ? 0 : z) }

  /// `0` everywhere.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 0 }

  /// `a[i] = step(z[i])`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  /// `dZ = 0`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = 0 }
  }
}
