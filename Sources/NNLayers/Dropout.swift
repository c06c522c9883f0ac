import NNProtocols

/// Inverted dropout: while training, each unit is zeroed with probability `p` and the kept ones are
/// scaled by `1/(1 − p)`, so the expected output equals the input; at inference it is the identity.
///
/// ```
/// training:   M[i, j] = 0 with probability p, else 1/(1 − p)     A = X ∘ M
/// backward:   dX = dA ∘ M
/// inference:  A = X,  dX = dA
/// ```
/// The mask comes from the layer's own `SeededGenerator` (split from the run's generator when the
/// layer is built), so a run with the same seed drops the same units. `copy()` copies the generator:
/// a copy draws the same next mask as the original.
///
/// - See Also: `DropoutBuilder` (the `dropout` line of a model file).
public final class Dropout<S: NNScalar>: Layer {
  public typealias Scalar = S

  /// `"dropout"`.
  public var kind: String { "dropout" }
  /// Features per sample (the same in and out).
  public let inputSize: Int
  /// Features per sample, equal to `inputSize`.
  public var outputSize: Int { inputSize }
  /// The drop probability `p`, in [0, 1).
  public let rate: Double
  /// `p=…`.
  public var detail: String { "p=\(formatReal(rate))" }
  /// None.
  public var parameters: [Parameter<S>] { [] }

  /// The source of the masks.
  public private(set) var generator: SeededGenerator
  /// The mask `M` of the last training pass (0 or `1/(1 − p)`), for the current batch.
  private var mask: Matrix<S>
  /// Whether the last forward pass applied a mask (training with `p > 0`).
  private var masked = false
  private var maskSpace: Workspace<S>
  private var outputSpace: Workspace<S>
  private var dxSpace: Workspace<S>
  private let noInputGradient: Matrix<S>

  /// A dropout layer over `size` features with drop probability `rate` (in [0, 1)), drawing its
  /// masks from `generator`.
  public init(size: Int, rate: Double, generator: SeededGenerator) {
    precondition(size >= 1, "Dropout needs size ≥ 1")
    precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
    inputSize = size
    self.rate = rate
    self.generator = generator
    mask = Matrix(rows: 0, cols: size)
    maskSpace = Workspace(cols: size)
    outputSpace = Workspace(cols: size)
    dxSpace = Workspace(cols: size)
    noInputGradient = Matrix(rows: 0, cols: size)
  }

  /// Training: `A = X ∘ M` with a fresh mask; inference: `A = X` (the input itself is returned).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward(_ x: Matrix<S>, phase: Phase) -> Matrix<S> {
    precondition(
      x.cols == inputSize, "dropout: input has \(x.cols) features, the layer expects \(inputSize)")
    masked = phase == .training && rate > 0
    guard masked else {
      mask = x  // only its shape is used (by backward's check)
      return x
    }
    mask = maskSpace.rows(x.rows)
    let output = outputSpace.rows(x.rows)
    let keep = S(1 / (1 - rate))  // inverted scaling, so E[A] = X
    var random = generator  // a local copy: no exclusivity checks in the loop
    let m = mask.base
    let input = x.base
    let a = output.base
    for i in 0..<x.count {
      m[i] = random.uniform() < rate ? 0 : keep  // M = 0 with probability p
      a[i] = input[i] * m[i]  // A = X ∘ M
    }
    generator = random
    return output
  }

  /// `dX = dA ∘ M` after a training pass; `dX = dA` after an inference pass.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward(_ dA: Matrix<S>, needsInputGradient: Bool) -> Matrix<S> {
    precondition(
      dA.rows == mask.rows && dA.cols == inputSize, "dropout: output gradient shape mismatch")
    guard needsInputGradient else { return noInputGradient }
    guard masked else { return dA }
    let dX = dxSpace.rows(dA.rows)
    let m = mask.base
    let gradient = dA.base
    let result = dX.base
    for i in 0..<dA.count { result[i] = gradient[i] * m[i] }  // dX = dA ∘ M
    return dX
  }

  /// An independent copy with the same rate and the same generator state.
  public func copy() -> Dropout<S> {
    Dropout(size: inputSize, rate: rate, generator: generator)
  }
}
