import Foundation
import Testing

@testable import NNPlots

@Suite struct PlotAxisTests {
  @Test func zeroToOneStepsByTwoTenths() {
    let ticks = PlotAxis.niceTicks(from: 0, to: 1)
    #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  @Test(arguments: [
    (0.0, 2000.0, [0.0, 500, 1000, 1500, 2000], ["0", "500", "1000", "1500", "2000"]),
    (-5.0, 4.9, [-4.0, -2, 0, 2, 4], ["-4", "-2", "0", "2", "4"]),
    (0.001, 0.5, [0.1, 0.2, 0.3, 0.4, 0.5], ["0.1", "0.2", "0.3", "0.4", "0.5"]),
    (
      2.7, 3.3, [2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3],
      ["2.7", "2.8", "2.9", "3.0", "3.1", "3.2", "3.3"]
    ),
    (
      -0.35, 0.35, [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3],
      ["-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"]
    ),
    (
      0.0, 3e-6, [0, 5e-7, 1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6],
      ["0", "5e-7", "1e-6", "1.5e-6", "2e-6", "2.5e-6", "3e-6"]
    ),
    (
      0.0, 3e7, [0, 5e6, 1e7, 1.5e7, 2e7, 2.5e7, 3e7],
      ["0", "5e6", "1e7", "1.5e7", "2e7", "2.5e7", "3e7"]
    ),
  ])
  func niceTicksForSeveralRanges(lower: Double, upper: Double, values: [Double], labels: [String]) {
    let ticks = PlotAxis.niceTicks(from: lower, to: upper)
    #expect(ticks.map(\.value) == values)
    #expect(ticks.map(\.label) == labels)
  }

  @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
    for span in [1e-9, 0.003, 0.7, 1, 13, 99, 1234, 5e11] {
      let step = PlotAxis.niceStep(span: span)
      #expect([1, 2, 5].contains(step.mantissa), "span \(span)")
      let intervals = span / step.value
      #expect(intervals >= 2.5 && intervals <= 12, "span \(span): \(intervals) intervals")
    }
  }

  @Test func emptyOrNonFiniteRangesHaveNoTicks() {
    #expect(PlotAxis.niceTicks(from: 1, to: 1).isEmpty)
    #expect(PlotAxis.niceTicks(from: 2, to: 1).isEmpty)
    #expect(PlotAxis.niceTicks(from: .nan, to: 1).isEmpty)
    #expect(PlotAxis.niceTicks(from: 0, to: .infinity).isEmpty)
    #expect(
      PlotAxis.niceTicks(from: -.greatestFiniteMagnitude, to: .greatestFiniteMagnitude).isEmpty)
    #expect(PlotAxis.decadeTicks(from: 0, to: 1).isEmpty)
  }

  @Test func logTicksAreDecades() {
    let ticks = PlotAxis.decadeTicks(from: 7e-5, to: 0.6)
    #expect(ticks.map(\.value) == [1e-4, 1e-3, 1e-2, 1e-1])
    #expect(ticks.map(\.label) == ["1e-4", "0.001", "0.01", "0.1"])
    #expect(
      PlotAxis.decadeTicks(from: 0.5, to: 2e4).map(\.label) == ["1", "10", "100", "1000", "1e4"])
  }

  @Test func manyDecadesAreThinnedToEveryOtherOne() {
    let ticks = PlotAxis.decadeTicks(from: 1e-12, to: 1)
    #expect(ticks.count <= 9)
    #expect(ticks.map(\.label) == ["1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "0.01", "1"])
  }

  @Test func lessThanTwoDecadesGetOneTwoFiveTicks() {
    #expect(PlotAxis.decadeTicks(from: 1.5, to: 8).map(\.label) == ["2", "5"])
    #expect(PlotAxis.decadeTicks(from: 0.15, to: 1.2).map(\.label) == ["0.2", "0.5", "1"])
  }

  @Test func minorMarksFillEachDecade() {
    #expect(
      PlotAxis.minorDecadeMarks(from: 0.1, to: 1) == [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    #expect(PlotAxis.minorDecadeMarks(from: 1e-12, to: 1).isEmpty, "too many decades to mark")
  }

  @Test func decimalTextIsExact() {
    #expect(PlotAxis.decimalText(3, -1, fixedDecimals: 1) == "0.3")
    #expect(PlotAxis.decimalText(10, -1, fixedDecimals: 1) == "1.0")
    #expect(PlotAxis.decimalText(-15, -1, fixedDecimals: 1) == "-1.5")
    #expect(PlotAxis.decimalText(0, -2, fixedDecimals: 2) == "0.00")
    #expect(PlotAxis.decimalText(25, 2, fixedDecimals: -2) == "2500")
    #expect(PlotAxis.decimalText(1, -3, fixedDecimals: 3) == "0.001")
    #expect(PlotAxis.decimalText(20, -7, fixedDecimals: 7) == "2e-6")
    #expect(PlotAxis.decimalText(-15, -7, fixedDecimals: 7) == "-1.5e-6")
    #expect(PlotAxis.decimalText(125, 6, fixedDecimals: -6) == "1.25e8")
  }

  @Test func aLinearScaleMapsTheRangeOntoThePixels() {
    let scale = PlotScale(lower: 0, upper: 10, start: 400, end: 40)
    #expect(scale.pixel(0) == 400)
    #expect(scale.pixel(10) == 40)
    #expect(scale.pixel(2.5) == 310)
    #expect(scale.pixel(.nan) == nil)
    #expect(scale.pixel(.infinity) == nil)
  }

  @Test func aLogScaleMapsDecadesEvenly() throws {
    let scale = PlotScale(lower: 1e-4, upper: 1, start: 0, end: 400, isLogarithmic: true)
    #expect(try #require(scale.pixel(1e-4)) == 0)
    #expect(abs(try #require(scale.pixel(1e-2)) - 200) < 1e-9)
    #expect(scale.pixel(0) == nil)
    #expect(scale.pixel(-1) == nil)
    #expect(scale.ticks().map(\.value) == [1e-4, 1e-3, 1e-2, 1e-1, 1])
  }

  @Test func dataRangesArePadded() throws {
    let linear = try #require(PlotScale.range(of: [0, 10, .nan], logarithmic: false))
    #expect(linear.lower == -0.5 && linear.upper == 10.5)
    let single = try #require(PlotScale.range(of: [3], logarithmic: false, padding: 0))
    #expect(abs(single.lower - 2.7) < 1e-12 && abs(single.upper - 3.3) < 1e-12)
    let log = try #require(PlotScale.range(of: [1e-3, 10, 0, -5], logarithmic: true, padding: 0))
    #expect(abs(log.lower - 1e-3) < 1e-15 && abs(log.upper - 10) < 1e-12)
    #expect(PlotScale.range(of: [.nan, .infinity], logarithmic: false) == nil)
    #expect(PlotScale.range(of: [0, -1], logarithmic: true) == nil)
  }
}
