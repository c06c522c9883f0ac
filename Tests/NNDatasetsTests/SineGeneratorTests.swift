import Foundation
import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("sine generator")
struct SineGeneratorTests {
  @Test func defaultGridIsTheFirstTutorials() throws {
    let data = try SineGenerator().generate()
    #expect(data.count == 100)
    #expect(data.inputSize == 1)
    #expect(data.targets.cols == 1)
    #expect(!data.isClassification)
    let xs = column(data.features, 0)
    #expect(xs.first == -5)
    #expect(isApproximatelyEqual(xs.last!, 4.9, relative: 1e-14))
    // Each x is start + i·step (as np.arange computes it), not a running sum.
    for (i, x) in xs.enumerated() { #expect(x == -5 + Double(i) * 0.1) }
    for (x, y) in zip(xs, column(data.targets, 0)) { #expect(y == sin(x)) }
  }

  @Test func countReplacesTheStep() throws {
    let data = try SineGenerator(start: 0, stop: 1, count: 4).generate()
    #expect(column(data.features, 0) == [0, 0.25, 0.5, 0.75])
  }

  @Test func stepThatDividesTheRangeInexactlyGivesNoExtraPoint() throws {
    // 1/0.1 is 9.999999999999998 or 10.000000000000002 depending on rounding: always 10 points.
    #expect(try SineGenerator(start: 0, stop: 1, step: 0.1).grid().count == 10)
    #expect(try SineGenerator(start: 0, stop: 0.3, step: 0.1).grid().count == 3)
    #expect(try SineGenerator(start: 0, stop: 1, step: 0.3).grid().count == 4)
  }

  @Test func noiseIsSeededAndHasTheRequestedSpread() throws {
    let a = try SineGenerator(count: 5000, noise: 0.5, seed: 1).generate()
    let b = try SineGenerator(count: 5000, noise: 0.5, seed: 1).generate()
    let c = try SineGenerator(count: 5000, noise: 0.5, seed: 2).generate()
    #expect(a.targets.elementsEqual(b.targets))
    #expect(!a.targets.elementsEqual(c.targets))
    let residuals = zip(column(a.features, 0), column(a.targets, 0)).map { $1 - sin($0) }
    let variance = residuals.map { $0 * $0 }.reduce(0, +) / Double(residuals.count)
    #expect(abs(variance.squareRoot() - 0.5) < 0.03)
  }

  @Test func badRangesAreErrors() {
    #expect(
      inputError { try SineGenerator(start: 1, stop: 1).generate() }?.message
        == "sine: stop (1) must be greater than start (1)")
    #expect(
      inputError { try SineGenerator(step: 0).generate() }?.message
        == "sine: step must be a number > 0, got 0")
    #expect(
      inputError { try SineGenerator(noise: -1).generate() }?.message
        == "sine: noise must be ≥ 0, got -1")
  }

  /// Found by the reliability work: `step=1e-300` and `start=-1e308 stop=1e308` made the sample
  /// count `Int(1e301)` or `Int(inf)`, a trap. The count now saturates at `Int.max` (which a memory
  /// check refuses), and a range wider than a double is an error.
  @Test func absurdGridsAreRefusedNotTrapped() throws {
    #expect(try SineGenerator(step: 1e-300).sampleCount() == Int.max)
    #expect(try SineGenerator(step: 1e-300).shape().samples == Int.max)
    #expect(
      inputError { try SineGenerator(step: 1e-300).grid() }?.message
        == "sine: the settings ask for more samples than a matrix can index")
    #expect(
      inputError { try SineGenerator(start: -1e308, stop: 1e308).generate() }?.message
        == "sine: the range from start (-1e+308) to stop (1e+308) is wider than a double can hold")
    #expect(try SineGenerator(count: 100_000_000_000).sampleCount() == 100_000_000_000)
  }
}
