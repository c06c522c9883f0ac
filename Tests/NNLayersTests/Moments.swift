import NNProtocols
import Testing

/// Checks the sample mean and variance of `values` against a distribution's `mean` and `variance`,
/// within 6 standard errors: `sd(mean) = σ/√n`, `sd(s²) = √((μ₄ − σ⁴)/n)` with `μ₄ = kurtosis·σ⁴`
/// (3 for a normal distribution, 9/5 for a uniform one).
func expectMoments<S: NNScalar>(
  of values: Matrix<S>, mean: Double, variance: Double, kurtosis: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let n = Double(values.count)
  let samples = values.scalars.map { Double($0) }
  let sampleMean = samples.reduce(0, +) / n
  let sampleVariance = samples.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / (n - 1)
  let meanError = (variance / n).squareRoot()
  let varianceError = ((kurtosis - 1) * variance * variance / n).squareRoot()
  #expect(
    abs(sampleMean - mean) < 6 * meanError,
    "mean \(sampleMean), expected \(mean) ± \(6 * meanError)", sourceLocation: sourceLocation)
  #expect(
    abs(sampleVariance - variance) < 6 * varianceError,
    "variance \(sampleVariance), expected \(variance) ± \(6 * varianceError)",
    sourceLocation: sourceLocation)
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
