import NNProtocols

/// A standalone elementwise activation: `A = g(Z)`, with no parameters.
///
/// Useful after a linear `dense` layer, or to apply a second function. Backward:
/// `dZ = dA ∘ g'(Z)` (the activation may reuse the kept output `A`).
///
/// - See Also: `Dense` (which fuses the activation into the layer), `ActivationLayerBuilder`.
public final class ActivationLayer<S: NNScalar>: Layer {
  /// The element type, `S`.
  public typealias Scalar = S

  /// `"activation"`.
  public var kind: String { "activation" }
  /// Features per sample (the same in and out).
  public let inputSize: Int
  /// Features per sample, equal to `inputSize`.
  public var outputSize: Int { inputSize }
  /// The function `g`.
  public let activation: any Activation
  /// The activation's name.
  public var detail: String { activation.name }
  /// None: an activation has nothing to learn.
  public var parameters: [Parameter<S>] { [] }

  /// The last input `Z` (the caller's matrix) and output `A = g(Z)`.
  private var z: Matrix<S>
  private var a: Matrix<S>
  private var aSpace: Workspace<S>
  private var dzSpace: Workspace<S>
  private let noInputGradient: Matrix<S>

  /// A layer applying `activation` to `size` features per sample.
  public init(size: Int, activation: any Activation) {
    precondition(size >= 1, "ActivationLayer needs size ≥ 1")
    inputSize = size
    self.activation = activation
    z = Matrix(rows: 0, cols: size)
    a = z
    aSpace = Workspace(cols: size)
    dzSpace = Workspace(cols: size)
    noInputGradient = Matrix(rows: 0, cols: size)
  }

  /// `A = g(Z)`; keeps `Z` and `A`.
  public func forward(_ input: Matrix<S>, phase: Phase) -> Matrix<S> {
    precondition(
      input.cols == inputSize,
      "activation: input has \(input.cols) features, the layer expects \(inputSize)")
    z = input
    a = aSpace.rows(input.rows)
    activation.forward(z, into: a)  // A = g(Z)
    return a
  }

  /// `dZ = dA ∘ g'(Z)`, the gradient handed to the previous layer.
  public func backward(_ dA: Matrix<S>, needsInputGradient: Bool) -> Matrix<S> {
    precondition(
      dA.rows == a.rows && dA.cols == inputSize, "activation: output gradient shape mismatch")
    guard needsInputGradient else { return noInputGradient }
    let dZ = dzSpace.rows(dA.rows)
    activation.backward(input: z, output: a, outputGradient: dA, into: dZ)  // dZ = dA ∘ g'(Z)
    return dZ
  }

  /// An independent copy (same activation, fresh workspaces).
  public func copy() -> ActivationLayer<S> {
    ActivationLayer(size: inputSize, activation: activation)
  }
}
