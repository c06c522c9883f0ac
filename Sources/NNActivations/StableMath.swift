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
