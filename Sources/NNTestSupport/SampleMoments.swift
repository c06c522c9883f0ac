/// What is wrong with the sample mean and variance of `samples` as draws from a distribution of
/// the given `mean`, `variance` and `kurtosis`, or `nil` when both lie within 6 standard errors.
///
/// The standard errors are `sd(mean) = σ/√n` and `sd(s²) = √((μ₄ − σ⁴)/n)` with `μ₄ = kurtosis·σ⁴`
/// (3 for a normal distribution, 9/5 for a uniform one). Six of them make a false alarm about one
/// in 10⁸ for a correct generator, while a wrong scale or offset of a few per cent fails at the
/// sample sizes the tests use (10⁴ and more).
public func momentsMismatch(
  of samples: [Double], mean: Double, variance: Double, kurtosis: Double
) -> String? {
  let n = Double(samples.count)
  let sampleMean = samples.reduce(0, +) / n
  let sampleVariance = samples.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / (n - 1)
  let meanError = (variance / n).squareRoot()
  let varianceError = ((kurtosis - 1) * variance * variance / n).squareRoot()
  var problems: [String] = []
  if !(abs(sampleMean - mean) < 6 * meanError) {
    problems.append("mean \(sampleMean), expected \(mean) ± \(6 * meanError)")
  }
  if !(abs(sampleVariance - variance) < 6 * varianceError) {
    problems.append("variance \(sampleVariance), expected \(variance) ± \(6 * varianceError)")
  }
  return problems.isEmpty ? nil : problems.joined(separator: "; ")
}
