/// Whether a pass is part of training or of inference.
///
/// Passed explicitly to every forward pass: dropout drops units only while training.
public enum Phase: Sendable, Equatable {
  case training
  case inference
}

/// A trainable tensor and its gradient, named by its path inside the network.
public struct Parameter<Scalar: NNScalar> {
  /// The name inside its layer (`"weight"`, `"bias"`); the network prefixes the layer's path
  /// (`"layers.0.weight"`).
  public var name: String
  /// The values, updated in place by the optimizer.
  public var value: Matrix<Scalar>
  /// `∂loss/∂value`, written by the layer's backward pass.
  public var gradient: Matrix<Scalar>

  public init(name: String, value: Matrix<Scalar>, gradient: Matrix<Scalar>) {
    self.name = name
    self.value = value
    self.gradient = gradient
  }
}

/// One stage of a feed-forward network, working on a whole batch (one sample per row).
///
/// Forward: `output = f(input)`, keeping whatever back-propagation needs (a dense layer keeps its input
/// `A_prev`, its pre-activation `Z` and its output `A`). Backward: given `dA = ∂loss/∂output`, write the
/// gradient of every parameter and return `∂loss/∂input`.
///
/// Layers are reference types: they own workspaces that are reused from step to step, so a training step
/// allocates nothing once the first step has run. `copy()` makes an independent deep copy (a gradient check
/// copies a layer, nudges one weight and compares).
public protocol Layer<Scalar>: AnyObject {
  associatedtype Scalar: NNScalar

  /// The registered kind, e.g. `"dense"`.
  var kind: String { get }
  /// Features per input sample.
  var inputSize: Int { get }
  /// Features per output sample.
  var outputSize: Int { get }
  /// A short description for summaries, e.g. the activation's name (`"sigmoid"`), or `""`.
  var detail: String { get }

  /// The trainable parameters, in a stable order (`weight` before `bias`).
  var parameters: [Parameter<Scalar>] { get }

  /// Computes the output for `input` (`[batch, inputSize]` → `[batch, outputSize]`).
  ///
  /// The returned matrix is a workspace of the layer, valid until its next forward pass.
  func forward(_ input: Matrix<Scalar>, phase: Phase) -> Matrix<Scalar>

  /// Back-propagates `outputGradient` (`∂loss/∂output`, `[batch, outputSize]`) through the last forward
  /// pass: writes every parameter's gradient and, when `needsInputGradient`, returns `∂loss/∂input`
  /// (`[batch, inputSize]`). The first layer passes `false` and gets an empty matrix, saving a product.
  func backward(_ outputGradient: Matrix<Scalar>, needsInputGradient: Bool) -> Matrix<Scalar>

  /// An independent deep copy, parameters included.
  func copy() -> Self
}

extension Layer {
  public var detail: String { "" }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
