/// An elementwise activation function `A = g(Z)` and its derivative.
///
/// A user-written activation needs only the scalar forms `value(_:)` and `derivative(_:output:)`; the
/// whole-buffer `forward` and `backward` have default implementations built on them. Built-ins override
/// the buffer forms with vectorized kernels.
///
/// The derivative receives both the input `z` and the forward output `a = g(z)`, so an activation can
/// reuse the output: sigmoid's `g'(z) = a(1 − a)`, tanh's `1 − a²`.
public protocol Activation: Sendable {
  /// The name this activation is registered under, e.g. `"sigmoid"`.
  var name: String { get }

  /// Whether the derivative carries gradient. `sign` and `step` have a zero derivative almost
  /// everywhere: they evaluate hand-set networks and cannot be trained by back-propagation.
  var isTrainable: Bool { get }

  /// The smallest interval holding every output `g(z)` for real `z` (bounds may be infinite):
  /// `0...1` for sigmoid, `-1...1` for tanh, `0...∞` for ReLU. A network whose last activation's
  /// range lies in [0, 1] outputs probabilities; checks and `predict` read this, never the name.
  var outputRange: ClosedRange<Double> { get }

  /// `g(z)` for one value.
  func value<S: NNScalar>(_ z: S) -> S

  /// `g'(z)` for one value, given the forward output `a = g(z)`.
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S

  /// `a[i] = g(z[i])` over `count` elements; `a` may equal `z`.
  func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)

  /// `dZ[i] = dA[i] · g'(z[i])` over `count` elements, given the forward output `a`; `dZ` may equal
  /// `dA`.
  func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int)

  /// The kernel that computes this activation together with a dense layer's bias in one pass
  /// (`NNScalar.biasActivation`), or `nil` (the default) when there is none: the layer then adds the
  /// bias in its product and calls `forward`.
  var fusedKernel: FusedActivationKernel? { get }
}

extension Activation {
  public var isTrainable: Bool { true }

  /// Unbounded (the default): `-∞...∞`.
  public var outputRange: ClosedRange<Double> { -Double.infinity...Double.infinity }

  /// Whether every output is in [0, 1], so that it can be read as a probability.
  public var outputsProbabilities: Bool {
    outputRange.lowerBound >= 0 && outputRange.upperBound <= 1
  }

  public var fusedKernel: FusedActivationKernel? { nil }

  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    for i in 0..<count { a[i] = value(z[i]) }
  }

  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
  }

  /// `A = g(Z)` over a whole matrix.
  public func forward<S: NNScalar>(_ z: Matrix<S>, into a: Matrix<S>) {
    precondition(z.count == a.count, "activation: input and output sizes differ")
    forward(UnsafePointer(z.base), a.base, count: z.count)
  }

  /// `dZ = dA ∘ g'(Z)` over a whole matrix.
  public func backward<S: NNScalar>(
    input z: Matrix<S>, output a: Matrix<S>, outputGradient dA: Matrix<S>, into dZ: Matrix<S>
  ) {
    precondition(z.count == a.count && a.count == dA.count && dA.count == dZ.count)
    backward(
      UnsafePointer(z.base), UnsafePointer(a.base), UnsafePointer(dA.base), dZ.base, count: z.count)
  }
}
