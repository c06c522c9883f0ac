import NNActivations
import NNProtocols

/// A fully connected layer with a fused activation: `Z = X·Wᵀ + b`, `A = g(Z)`.
///
/// Shapes, for a batch of `m` samples: `X` is `[m, inputs]`, the weight `W` is `[outputs, inputs]`
/// (the tutorials' and `torch.nn.Linear`'s layout), the optional bias `b` is `[1, outputs]`, and `Z`
/// and `A` are `[m, outputs]`. The tutorials write one sample per *column* (`Z = W·A + b`); with one
/// sample per *row* the same products read `Z = X·Wᵀ + b`.
///
/// Forward keeps `X`, `Z` and `A` for back-propagation. Backward, from `dA = ∂L/∂A`:
/// ```
/// dZ = dA ∘ g'(Z)        (the activation may reuse A: sigmoid's g' = A(1 − A))
/// dW = dZᵀ·X             [outputs, inputs]
/// db = Σ_rows dZ         [1, outputs]
/// dX = dZ·W              [m, inputs], handed to the previous layer as its dA
/// ```
/// With a built-in activation (sigmoid, tanh, ReLU, identity) the bias and `g` are one vectorized
/// pass over `Z` after the product (`NNScalar.biasActivation`); with any other, the bias rides along
/// in the product (`beta = 1` on a pre-filled `Z`) and `g` is the activation's `forward`.
/// Every product is one `Matrix.assignProduct` call; no transpose is materialised. `Z`, `A`, `dZ` and
/// `dX` live in workspaces sized for the largest batch seen, so steps allocate nothing after the first.
///
/// - Parameters of the layer: `weight` then (if present) `bias`, with their gradients.
/// - See Also: `DenseBuilder` (the `dense` line of a model file), `Network`.
public final class Dense<S: NNScalar>: Layer {
  /// The element type, `S`.
  public typealias Scalar = S

  /// `"dense"`.
  public var kind: String { "dense" }
  /// Features per input sample (`fan_in`).
  public let inputSize: Int
  /// Units, i.e. features per output sample (`fan_out`).
  public let outputSize: Int
  /// The fused activation `g` (identity by default).
  public let activation: any Activation
  /// The activation's name, e.g. `"sigmoid"`.
  public var detail: String { activation.name }

  /// `W`, `[outputs, inputs]`, and its gradient `dW`.
  public let weight: Parameter<S>
  /// `b`, `[1, outputs]`, and its gradient `db`; `nil` for a layer without bias (the second tutorial
  /// feeds a constant input column of 1s instead).
  public let bias: Parameter<S>?
  /// `[weight, bias]` (or `[weight]`), built once so reading it allocates nothing.
  public let parameters: [Parameter<S>]

  /// Whether `g` is the identity, so `A` is `Z` itself and `dZ` is `dA` itself (no copies).
  private let isIdentity: Bool
  /// The kernel that adds the bias and applies `g` in one pass, when `g` has one.
  private let fusedKernel: FusedActivationKernel?

  /// The last forward pass's input `X` (a view owned by the caller, valid until its next forward).
  private var input: Matrix<S>
  /// `Z = X·Wᵀ + b` and `A = g(Z)` for the current batch (views of the workspaces below).
  private var z: Matrix<S>
  private var a: Matrix<S>
  private var zSpace: Workspace<S>
  private var aSpace: Workspace<S>
  private var dzSpace: Workspace<S>
  private var dxSpace: Workspace<S>
  /// What `backward(_:needsInputGradient: false)` returns: an empty `[0, inputs]` matrix.
  private let noInputGradient: Matrix<S>

  /// A layer with zero weights (and zero bias): fill `weight.value` (and `bias?.value`) before use,
  /// e.g. with an `Initializer` (`DenseBuilder` does).
  ///
  /// - Parameters:
  ///   - inputs: features per input sample, ≥ 1.
  ///   - outputs: units, ≥ 1.
  ///   - activation: the fused activation `g`; default `nil`, the identity (a linear layer).
  ///   - bias: whether the layer learns a bias `b`; default `true`.
  public init(
    inputs: Int, outputs: Int, activation: (any Activation)? = nil, bias: Bool = true
  ) {
    precondition(inputs >= 1 && outputs >= 1, "Dense needs inputs, outputs ≥ 1")
    inputSize = inputs
    outputSize = outputs
    let activation = activation ?? Identity()
    self.activation = activation
    isIdentity = activation is Identity
    fusedKernel = activation.fusedKernel
    weight = Parameter(
      name: "weight", value: Matrix(rows: outputs, cols: inputs),
      gradient: Matrix(rows: outputs, cols: inputs))
    self.bias =
      bias
      ? Parameter(
        name: "bias", value: Matrix(rows: 1, cols: outputs),
        gradient: Matrix(rows: 1, cols: outputs))
      : nil
    parameters = [weight] + (self.bias.map { [$0] } ?? [])
    input = Matrix(rows: 0, cols: inputs)
    zSpace = Workspace(cols: outputs)
    aSpace = Workspace(cols: outputs)
    dzSpace = Workspace(cols: outputs)
    dxSpace = Workspace(cols: inputs)
    z = Matrix(rows: 0, cols: outputs)
    a = z
    noInputGradient = Matrix(rows: 0, cols: inputs)
  }

  /// A layer with the given weight `[outputs, inputs]` and optional bias `[1, outputs]` (copied), e.g.
  /// the hand-set perceptrons of the second tutorial.
  public convenience init(weight: Matrix<S>, bias: Matrix<S>?, activation: (any Activation)? = nil)
  {
    precondition(
      bias == nil || (bias!.rows == 1 && bias!.cols == weight.rows),
      "Dense bias must be [1, \(weight.rows)]")
    self.init(
      inputs: weight.cols, outputs: weight.rows, activation: activation, bias: bias != nil)
    self.weight.value.assign(weight)
    if let bias { self.bias?.value.assign(bias) }
  }

  /// `Z = X·Wᵀ + b`, `A = g(Z)`; keeps `X`, `Z`, `A`. Returns `A` (a workspace view).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward(_ x: Matrix<S>, phase: Phase) -> Matrix<S> {
    precondition(
      x.cols == inputSize, "dense: input has \(x.cols) features, the layer expects \(inputSize)")
    let batch = x.rows
    input = x  // keep X for dW = dZᵀ·X
    z = zSpace.rows(batch)
    if let bias, let fusedKernel {
      z.assignProduct(x, transposed: false, weight.value, transposed: true)  // Z = X·Wᵀ
      a = isIdentity ? z : aSpace.rows(batch)
      // Z ← Z + b and A = g(Z) in one pass over Z
      S.biasActivation(
        z.base, bias: bias.value.base, a.base, rows: batch, cols: outputSize, kernel: fusedKernel)
      return a
    }
    if let bias {
      // Z ← b in every row, then Z ← X·Wᵀ + 1·Z: the bias rides along in the product (beta = 1).
      Self.broadcastRow(bias.value.base, into: z)
      // Z = X·Wᵀ + b
      z.assignProduct(x, transposed: false, weight.value, transposed: true, beta: 1)
    } else {
      z.assignProduct(x, transposed: false, weight.value, transposed: true)  // Z = X·Wᵀ
    }
    if isIdentity {
      a = z  // A = g(Z) = Z: the same memory, no copy
    } else {
      a = aSpace.rows(batch)
      activation.forward(z, into: a)  // A = g(Z)
    }
    return a
  }

  /// From `dA = ∂L/∂A`: writes `dW`, `db` and returns `dX = dZ·W` (or an empty matrix when
  /// `needsInputGradient` is `false`).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward(_ dA: Matrix<S>, needsInputGradient: Bool) -> Matrix<S> {
    precondition(
      dA.rows == a.rows && dA.cols == outputSize,
      "dense: output gradient is [\(dA.rows), \(dA.cols)], the last output was [\(a.rows), \(outputSize)]"
    )
    let batch = dA.rows
    let dZ: Matrix<S>
    if isIdentity {
      dZ = dA  // dZ = dA ∘ g'(Z) = dA ∘ 1
    } else {
      dZ = dzSpace.rows(batch)
      activation.backward(input: z, output: a, outputGradient: dA, into: dZ)  // dZ = dA ∘ g'(Z)
    }
    weight.gradient.assignProduct(dZ, transposed: true, input)  // dW = dZᵀ·X
    if let bias { Self.sumRows(of: dZ, into: bias.gradient) }  // db = Σ_rows dZ
    guard needsInputGradient else { return noInputGradient }
    let dX = dxSpace.rows(batch)
    dX.assignProduct(dZ, weight.value)  // dX = dZ·W
    return dX
  }

  /// `sums[0, j] = Σ_i m[i, j]`, the bias gradient `db = Σ_rows dZ`, accumulated row by row so the
  /// inner loop runs over contiguous memory.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func sumRows(of m: Matrix<S>, into sums: Matrix<S>) {
    precondition(sums.count == m.cols, "column sums: size mismatch")
    S.sumRows(m.base, rows: m.rows, cols: m.cols, ld: m.cols, into: sums.base)
  }

  /// Copies the row `b` (`m.cols` values) into every row of `m`: row 0 first, then the rows filled
  /// so far are copied onto the next ones, doubling each time (log₂ m copies, not m small ones).
  static func broadcastRow(_ b: UnsafePointer<S>, into m: Matrix<S>) {
    guard m.rows > 0 else { return }
    m.base.update(from: b, count: m.cols)
    var filled = 1
    while filled < m.rows {
      let copied = min(filled, m.rows - filled)
      (m.base + filled * m.cols).update(from: m.base, count: copied * m.cols)
      filled += copied
    }
  }

  /// An independent copy: the same weights, bias and activation; fresh workspaces.
  public func copy() -> Dense<S> {
    Dense(weight: weight.value, bias: bias?.value, activation: activation)
  }
}
