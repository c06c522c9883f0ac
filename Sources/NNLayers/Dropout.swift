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
/// layer is built), so a run with the same seed drops the same units: each training pass draws one
/// 64-bit seed from it and expands it with SplitMix64, a fast inline generator (about 1 ns per
/// element; the general-purpose generator costs about 20 ns per call). `copy()` copies the
/// generator: a copy draws the same next mask as the original.
///
/// - See Also: `DropoutBuilder` (the `dropout` line of a model file).
public final class Dropout<S: NNScalar>: Layer, RandomizedLayer {
  /// The element type, `S`.
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

  /// The source of the masks; a resumed run sets it back to the saved state (`RandomizedLayer`).
  public var generator: SeededGenerator
  /// The mask `M` of the last training pass (0 or `1/(1 − p)`), for the current batch.
  private var mask: Matrix<S>
  /// Whether the last forward pass applied a mask (training with `p > 0`).
  private var masked = false
  private var maskSpace: Workspace<S>
  private var outputSpace: Workspace<S>
  private var dxSpace: Workspace<S>
  private let noInputGradient: Matrix<S>
  /// The two values a mask element can take: `[1/(1 − p), 0]` (kept, inverted scaling so
  /// `E[A] = X`; dropped).
  private let maskChoices: Matrix<S>
  /// `p·2³²`: 32 uniform random bits below it drop a unit (probability p, to within 2⁻³²).
  private let threshold: UInt32

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
    maskChoices = Matrix(rows: 1, cols: 2, scalars: [S(1 / (1 - rate)), 0])
    threshold = UInt32(clamping: UInt64((rate * 0x1p32).rounded()))
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
    var bits = MaskBits(seed: generator.next())  // one draw from the layer's generator per pass
    let choices = maskChoices.base  // [1/(1 − p), 0]
    let t = UInt64(threshold)  // p·2³²
    // M = 0 when the 32 random bits u < t, else 1/(1 − p): u − t wraps around, setting bit 63,
    // exactly when u < t. Looked up rather than branched on (a branch would be mispredicted half
    // the time for p near ½).
    func maskValue(_ u: UInt64) -> S { choices[Int(truncatingIfNeeded: (u &- t) >> 63)] }
    let m = mask.base
    let count = x.count
    var i = 0
    while i < count {  // two mask elements per 64 random bits
      let word = bits.next()
      m[i] = maskValue(word & 0xFFFF_FFFF)
      if i + 1 < count { m[i + 1] = maskValue(word >> 32) }
      i += 2
    }
    let input = x.base
    let a = output.base
    for i in 0..<count { a[i] = input[i] * m[i] }  // A = X ∘ M
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

/// SplitMix64 (Steele, Lea & Flood, 2014): the random bits of one dropout mask, expanded from one seed
/// drawn from the layer's generator. Small, fast and statistically sound for masks.
private struct MaskBits {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
