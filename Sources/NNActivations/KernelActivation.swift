import NNProtocols

/// An activation with a whole-buffer kernel (`FusedActivationKernel`): a dense layer applies it with
/// its bias in one pass, and its backward form runs the vectorized `NNScalar.activationBackward`.
///
/// Sigmoid, tanh and ReLU state their `kernel`; the kernel computes `dZ = dA ∘ g'` from `z` or from
/// the forward output `a`, whichever its derivative needs.
public protocol KernelActivation: Activation {
  /// The kernel that computes this activation and its derivative over whole buffers.
  var kernel: FusedActivationKernel { get }
}

extension KernelActivation {
  /// `kernel`: a dense layer adds its bias and applies the activation in one pass.
  public var fusedKernel: FusedActivationKernel? { kernel }

  /// `dZ = dA ∘ g'`, computed by the vectorized kernel `S.activationBackward`.
  @_specialize(where Self == Sigmoid, S == Float)
  @_specialize(where Self == Sigmoid, S == Double)
  @_specialize(where Self == Tanh, S == Float)
  @_specialize(where Self == Tanh, S == Double)
  @_specialize(where Self == ReLU, S == Float)
  @_specialize(where Self == ReLU, S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    S.activationBackward(z: z, a: a, dA: dA, dZ: dZ, count: count, kernel: kernel)
  }
}
