import NNProtocols
import NNTestSupport
import Testing

/// Checks the sample mean and variance of `values` against a distribution's `mean`, `variance` and
/// `kurtosis` (NNTestSupport's `momentsMismatch`: within 6 standard errors).
func expectMoments<S: NNScalar>(
  of values: Matrix<S>, mean: Double, variance: Double, kurtosis: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let problem = momentsMismatch(
    of: values.scalars.map { Double($0) }, mean: mean, variance: variance, kurtosis: kurtosis)
  #expect(problem == nil, "\(problem ?? "")", sourceLocation: sourceLocation)
}

/// Fills a `[fanOut, fanIn]` matrix twice from the same seed and checks both fills are bit-identical
/// (and that a different seed gives different values); returns the first fill.
func fillTwice<S: NNScalar>(
  _ initializer: any Initializer, fanIn: Int, fanOut: Int, as type: S.Type = Double.self,
  sourceLocation: SourceLocation = #_sourceLocation
) -> Matrix<S> {
  let first = Matrix<S>(rows: fanOut, cols: fanIn)
  let second = Matrix<S>(rows: fanOut, cols: fanIn)
  let other = Matrix<S>(rows: fanOut, cols: fanIn)
  var generator = SeededGenerator(seed: 2024)
  initializer.fill(first, fanIn: fanIn, fanOut: fanOut, using: &generator)
  generator = SeededGenerator(seed: 2024)
  initializer.fill(second, fanIn: fanIn, fanOut: fanOut, using: &generator)
  var otherGenerator = SeededGenerator(seed: 2025)
  initializer.fill(other, fanIn: fanIn, fanOut: fanOut, using: &otherGenerator)
  #expect(
    first.elementsEqual(second), "same seed, different values", sourceLocation: sourceLocation)
  #expect(
    !first.elementsEqual(other), "different seeds, same values", sourceLocation: sourceLocation)
  return first
}
