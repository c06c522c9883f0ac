import NNProtocols

/// The perceptron's sign: `g(z) = +1` for `z > 0`, `−1` for `z ≤ 0` (including ±0); NaN gives NaN.
///
/// The tie goes to −1 as in the second tutorial: its output unit computes `sign(p1 + p2 + 0·1)`, and
/// only with `sign(0) = −1` is that the conjunction (−1, −1, −1, +1 on the regions s1…s4) rather than a
/// disjunction.
///
/// It evaluates hand-set networks such as the second tutorial's 2-2-1 conjunction of perceptrons. Its
/// derivative is 0 wherever it exists, so back-propagation cannot train through it: `isTrainable` is
/// `false` and the pipeline refuses to train a network that uses it.
///
/// See Also: `Step` (the 0/1 Heaviside form), `Tanh` (a trainable ±1 squashing function).
public struct Sign: Activation, BuiltinActivation {
  static let registeredName = "sign"
  static let summary =
    "perceptron sign: g(z) = +1 if z > 0 else -1 (sign(0) = -1); derivative 0 (not trainable)"

  /// The sign activation (no options).
  public init() {}
  init(options: Options) { self.init() }

  /// `"sign"`.
  public var name: String { Self.registeredName }
  /// `-1...1`: every output is in {−1, 0, +1}.
  public var outputRange: ClosedRange<Double> { -1...1 }

  /// `false`: the derivative is zero almost everywhere.
  public var isTrainable: Bool { false }

  /// `+1` for `z > 0`, `−1` for `z ≤ 0`, NaN for NaN.
  public func value<S: NNScalar>(_ z: S) -> S { z > 0 ? 1 : (z <= 0 ? -1 : z) }

  /// `0` everywhere (the jump at 0 carries no usable gradient).
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 0 }

  /// `a[i] = sign(z[i])`.
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
