import NNProtocols

/// Whether `a` and `b` agree to within `absolute + relative·max(|a|, |b|)`; NaN equals NaN, and
/// infinities must match exactly.
public func isApproximatelyEqual<S: BinaryFloatingPoint>(
  _ a: S, _ b: S, absolute: S = 0, relative: S = S.ulpOfOne.squareRoot()
) -> Bool {
  if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
  if a.isInfinite || b.isInfinite { return a == b }
  return abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

/// Whether two sequences have the same length and agree element by element (see the scalar form).
public func isApproximatelyEqual<S: BinaryFloatingPoint>(
  _ a: some Collection<S>, _ b: some Collection<S>, absolute: S = 0,
  relative: S = S.ulpOfOne.squareRoot()
) -> Bool {
  a.count == b.count
    && zip(a, b).allSatisfy { isApproximatelyEqual($0, $1, absolute: absolute, relative: relative) }
}

/// Whether two matrices have the same shape and agree element by element (see the scalar form).
public func isApproximatelyEqual<S: NNScalar>(
  _ a: Matrix<S>, _ b: Matrix<S>, absolute: S = 0, relative: S = S.ulpOfOne.squareRoot()
) -> Bool {
  a.rows == b.rows && a.cols == b.cols
    && isApproximatelyEqual(a.scalars, b.scalars, absolute: absolute, relative: relative)
}

/// The special inputs every activation and loss is tested on: zeros of both signs, small and large
/// magnitudes, the extremes and NaN.
public let specialValues: [Double] = [
  0, -0.0, 1e-8, -1e-8, 1, -1, 20, -20, 100, -100, 1e4, -1e4, .greatestFiniteMagnitude,
  -.greatestFiniteMagnitude, .infinity, -.infinity, .nan,
]

/// A matrix of standard-normal values drawn from `generator`.
public func randomMatrix<S: NNScalar>(
  rows: Int, cols: Int, scale: Double = 1, using generator: inout SeededGenerator,
  as type: S.Type = S.self
) -> Matrix<S> {
  let m = Matrix<S>(rows: rows, cols: cols)
  for i in 0..<m.count { m.base[i] = S(scale * generator.normal()) }
  return m
}
