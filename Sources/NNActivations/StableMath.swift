import NNProtocols

// Scalar helpers shared by several activations, written so that no finite input overflows and NaN
// propagates.

/// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, computed as `1 / (1 + e^(−|x|))` for x ≥ 0 and
/// `e^x / (1 + e^x)` for x < 0, so the exponential never exceeds 1.
func stableSigmoid<S: NNScalar>(_ x: S) -> S {
  let e = S.exp(-abs(x))  // e^(−|x|) ∈ [0, 1]
  return x >= 0 ? 1 / (1 + e) : e / (1 + e)
}

/// `softplus(x) = log(1 + e^x)`, computed as `max(x, 0) + log1p(e^(−|x|))`: exact for large |x|,
/// never overflowing.
func stableSoftplus<S: NNScalar>(_ x: S) -> S {
  (x > 0 ? x : 0) + S.log1p(S.exp(-abs(x)))
}

/// `x` clamped to `[−greatestFiniteMagnitude, +greatestFiniteMagnitude]`; NaN stays NaN.
///
/// Formulas of the form `x·f(x)` with `f(±∞)` equal to 0 or 1 would give `∞·0 = NaN` at infinite
/// inputs; evaluated at the largest finite value instead they give the correct limit.
func clampedToFinite<S: NNScalar>(_ x: S) -> S {
  x < -S.greatestFiniteMagnitude
    ? -S.greatestFiniteMagnitude : (x > S.greatestFiniteMagnitude ? S.greatestFiniteMagnitude : x)
}

/// `x` raised to at least `−greatestFiniteMagnitude` (−∞ becomes the largest negative finite value);
/// NaN stays NaN. See `clampedToFinite(_:)`.
func clampedBelow<S: NNScalar>(_ x: S) -> S {
  x < -S.greatestFiniteMagnitude ? -S.greatestFiniteMagnitude : x
}

/// `value`, or NaN when `z` is NaN.
///
/// Written as the comparison `z != z` (true only for NaN) rather than `z.isNaN`: in an element loop
/// the comparison compiles to a branch-free select, while `isNaN` compiled to a branch that cost
/// ~25 ns per element in Double on random data.
@inline(__always)
func keepingNaN<S: NNScalar>(_ z: S, _ value: S) -> S {
  z != z ? z : value
}

/// The number of elements per chunk for activations that run a whole-buffer kernel on an
/// intermediate value (`tanh(z/2)`, `σ(z)`, `e^(−|z|)`): small enough for the stack and the L1 cache.
let chunkSize = 256

/// Runs `body(offset, count, scratch)` over `0..<count` in chunks of at most `chunkSize` elements,
/// with a scratch buffer of `chunkSize` scalars for the chunk's intermediate values.
///
/// The scratch buffer lets a buffer-level activation pass an intermediate through an `NNScalar`
/// kernel while its output may alias its input (`a` may equal `z`, `dZ` may equal `dA`).
@inline(__always)
func forEachChunk<S: NNScalar>(
  of count: Int, as type: S.Type,
  _ body: (_ offset: Int, _ count: Int, _ scratch: UnsafeMutablePointer<S>) -> Void
) {
  withUnsafeTemporaryAllocation(of: S.self, capacity: Swift.max(1, Swift.min(count, chunkSize))) {
    scratch in
    guard let base = scratch.baseAddress else { return }
    var offset = 0
    while offset < count {
      let length = Swift.min(chunkSize, count - offset)
      body(offset, length, base)
      offset += length
    }
  }
}
