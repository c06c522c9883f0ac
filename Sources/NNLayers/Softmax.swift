import NNProtocols

/// Row-wise softmax: turns each sample's scores into probabilities that sum to 1.
///
/// ```
/// A[i, j] = exp(Z[i, j] − max_k Z[i, k]) / Σ_k exp(Z[i, k] − max_k Z[i, k])
/// ```
/// Subtracting the row maximum changes nothing mathematically and keeps `exp` from overflowing
/// (scores of ±1e4 are fine). Backward, with the Jacobian `∂A_j/∂Z_k = A_j(δ_jk − A_k)`:
/// ```
/// dZ = A ∘ (dA − rowsum(dA ∘ A))
/// ```
/// Paired with cross-entropy, prefer a loss that takes logits (it fuses the two, more stably).
///
/// - See Also: `SoftmaxBuilder` (the `softmax` line of a model file).
public final class Softmax<S: NNScalar>: Layer {
  /// The element type, `S`.
  public typealias Scalar = S

  /// `"softmax"`.
  public var kind: String { "softmax" }
  /// Classes (scores) per sample.
  public let inputSize: Int
  /// Equal to `inputSize`.
  public var outputSize: Int { inputSize }
  /// None.
  public var parameters: [Parameter<S>] { [] }

  /// The last output `A`.
  private var a: Matrix<S>
  private var aSpace: Workspace<S>
  private var dzSpace: Workspace<S>
  private let noInputGradient: Matrix<S>

  /// A softmax over `size` scores per sample.
  public init(size: Int) {
    precondition(size >= 1, "Softmax needs size ≥ 1")
    inputSize = size
    a = Matrix(rows: 0, cols: size)
    aSpace = Workspace(cols: size)
    dzSpace = Workspace(cols: size)
    noInputGradient = Matrix(rows: 0, cols: size)
  }

  /// `A = softmax(Z)` row by row, stably; keeps `A`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward(_ z: Matrix<S>, phase: Phase) -> Matrix<S> {
    precondition(
      z.cols == inputSize, "softmax: input has \(z.cols) scores, the layer expects \(inputSize)")
    a = aSpace.rows(z.rows)
    let n = inputSize
    for row in 0..<z.rows {
      let scores = z.base + row * n
      let out = a.base + row * n
      var largest = scores[0]
      for j in 1..<n where scores[j] > largest { largest = scores[j] }
      for j in 0..<n { out[j] = scores[j] - largest }  // Z − max Z ≤ 0: exp cannot overflow
      S.exp(out, out, count: n)  // e^(Z − max Z), one vectorized call per row
      var sum = S.zero
      for j in 0..<n { sum += out[j] }  // Σ_k e^(Z_k − max Z) ≥ 1
      let scale = 1 / sum
      for j in 0..<n { out[j] *= scale }  // A = e^(Z − max Z) / Σ
    }
    return a
  }

  /// `dZ = A ∘ (dA − rowsum(dA ∘ A))`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward(_ dA: Matrix<S>, needsInputGradient: Bool) -> Matrix<S> {
    precondition(
      dA.rows == a.rows && dA.cols == inputSize, "softmax: output gradient shape mismatch")
    guard needsInputGradient else { return noInputGradient }
    let dZ = dzSpace.rows(dA.rows)
    let n = inputSize
    for row in 0..<dA.rows {
      let probabilities = a.base + row * n
      let gradient = dA.base + row * n
      let result = dZ.base + row * n
      var dot = S.zero
      for j in 0..<n { dot += gradient[j] * probabilities[j] }  // rowsum(dA ∘ A)
      for j in 0..<n { result[j] = probabilities[j] * (gradient[j] - dot) }  // A ∘ (dA − rowsum)
    }
    return dZ
  }

  /// An independent copy (fresh workspaces).
  public func copy() -> Softmax<S> { Softmax(size: inputSize) }
}
