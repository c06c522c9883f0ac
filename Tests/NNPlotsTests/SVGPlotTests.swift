import Foundation
import Testing

@testable import NNPlots

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The elements of an SVG document, parsed with Foundation's `XMLParser` (so a document that is
/// not well-formed XML fails the test).
final class SVGDocument: NSObject, XMLParserDelegate {
  struct Element {
    var name: String
    var attributes: [String: String]
    var text: String
  }

  private(set) var elements: [Element] = []
  private var open: [Int] = []

  /// Parses `svg`; `nil` (recorded as a test issue) if it is not well-formed.
  static func parse(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> SVGDocument?
  {
    let document = SVGDocument()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = document
    guard parser.parse() else {
      Issue.record(
        "not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "?")",
        sourceLocation: sourceLocation)
      return nil
    }
    return document
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String]
  ) {
    open.append(elements.count)
    elements.append(Element(name: elementName, attributes: attributes, text: ""))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    open.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let index = open.last { elements[index].text += string }
  }

  /// The elements whose `class` is `className`.
  func elements(ofClass className: String) -> [Element] {
    elements.filter { $0.attributes["class"] == className }
  }

  /// The texts of the elements whose `class` is `className`.
  func texts(ofClass className: String) -> [String] {
    elements(ofClass: className).map(\.text)
  }

  /// The number of points of each polyline of class `series-line`.
  var polylinePointCounts: [Int] {
    elements(ofClass: "series-line").map {
      ($0.attributes["points"] ?? "").split(separator: " ").count
    }
  }
}

@Suite struct SVGPlotTests {
  @Test func aLineChartHasItsTitleLabelsLegendAndLines() throws {
    let svg = SVGPlot.lineChart(
      title: "Loss per epoch", xLabel: "epoch", yLabel: "loss",
      series: [
        PlotSeries(name: "training", y: [0.9, 0.5, 0.4, 0.35]),
        PlotSeries(name: "validation", y: [1.0, 0.7, 0.6, 0.58, 0.57]),
      ])
    let document = try #require(SVGDocument.parse(svg))
    let root = try #require(document.elements.first)
    #expect(root.name == "svg")
    #expect(root.attributes["width"] == "720" && root.attributes["height"] == "440")
    #expect(document.elements.first { $0.name == "title" }?.text == "Loss per epoch")
    #expect(document.texts(ofClass: "title") == ["Loss per epoch"])
    #expect(document.texts(ofClass: "x-label") == ["epoch"])
    #expect(document.texts(ofClass: "y-label") == ["loss"])
    #expect(document.texts(ofClass: "legend-label") == ["training", "validation"])
    #expect(document.polylinePointCounts == [4, 5])
    let colors = document.elements(ofClass: "series-line").map { $0.attributes["stroke"] }
    #expect(colors == [SVGPlot.palette[0], SVGPlot.palette[1]])
    #expect(!document.texts(ofClass: "x-tick-label").isEmpty)
    #expect(!document.texts(ofClass: "y-tick-label").isEmpty)
    #expect(!svg.contains("<script"))
  }

  @Test func eachSeriesGetsADistinctColor() throws {
    let series = (0..<9).map { k in
      PlotSeries(name: "layer \(k + 1)", y: [1, 2, 3].map { $0 * Double(k + 1) })
    }
    let document = try #require(
      SVGDocument.parse(SVGPlot.lineChart(title: "t", xLabel: "x", yLabel: "y", series: series)))
    let colors = document.elements(ofClass: "series-line").compactMap { $0.attributes["stroke"] }
    #expect(colors.count == 9 && Set(colors).count == 9)
  }

  @Test func nonFiniteValuesLeaveAGapNotNaNText() throws {
    let svg = SVGPlot.lineChart(
      title: "gap", xLabel: "x", yLabel: "y",
      series: [PlotSeries(name: "s", y: [1, 2, .nan, 4, 5, 6, .infinity, 7])], logY: false)
    let document = try #require(SVGDocument.parse(svg))
    // [1, 2] · gap · [4, 5, 6] · gap · [7]: two lines and a marker for the lone point.
    #expect(document.polylinePointCounts == [2, 3])
    #expect(document.elements(ofClass: "series-point").count == 1)
    #expect(!svg.lowercased().contains("nan"))
    #expect(!svg.lowercased().contains("inf"))
  }

  @Test func pointSeriesDrawOneCirclePerFinitePoint() throws {
    let svg = SVGPlot.lineChart(
      title: "points", xLabel: "x", yLabel: "y",
      series: [PlotSeries(name: "data", x: [1, 2, 3, 4], y: [3, .nan, 1, 2], style: .points)])
    let document = try #require(SVGDocument.parse(svg))
    #expect(document.elements(ofClass: "series-point").count == 3)
    #expect(document.elements(ofClass: "series-line").isEmpty)
    #expect(document.elements(ofClass: "legend-marker").count == 1)
    #expect(document.elements(ofClass: "legend-line").isEmpty)
  }

  @Test func lineAndPointsDrawsBoth() throws {
    let svg = SVGPlot.lineChart(
      title: "both", xLabel: "x", yLabel: "y",
      series: [PlotSeries(name: "s", y: [1, 3, 2], style: .lineAndPoints)])
    let document = try #require(SVGDocument.parse(svg))
    #expect(document.polylinePointCounts == [3])
    #expect(document.elements(ofClass: "series-point").count == 3)
  }

  @Test func valuesSpanningDecadesGetALogAxisLabelledInDecades() throws {
    let loss = (0..<200).map { 0.5 * exp(-Double($0) / 20) }  // 0.5 down to 2e-5: over four decades
    #expect(SVGPlot.shouldUseLogScale(loss))
    let document = try #require(
      SVGDocument.parse(SVGPlot.lossChart(trainingLoss: loss)))
    #expect(document.texts(ofClass: "y-label") == ["loss (log scale)"])
    let labels = document.texts(ofClass: "y-tick-label")
    #expect(labels == ["1e-4", "0.001", "0.01", "0.1"])
    for label in labels {
      let exponent = log10(try #require(Double(label)))
      #expect(exponent == exponent.rounded(), "\(label) is a decade")
    }
    #expect(!document.elements(ofClass: "grid-minor").isEmpty)
  }

  @Test func valuesWithinTwoDecadesOrNotPositiveStayLinear() throws {
    #expect(!SVGPlot.shouldUseLogScale([1, 50]))
    #expect(!SVGPlot.shouldUseLogScale([0, 1e-6, 1]))
    #expect(!SVGPlot.shouldUseLogScale([-1, 1000]))
    #expect(SVGPlot.shouldUseLogScale([.nan, 1e-3, 1]))
    let document = try #require(
      SVGDocument.parse(
        SVGPlot.lossChart(trainingLoss: [1, 0.5, 0.3], validationLoss: [1.2, 0.7, 0.6])))
    #expect(document.texts(ofClass: "y-label") == ["loss"])
    #expect(document.elements(ofClass: "grid-minor").isEmpty)
  }

  @Test func aForcedLogAxisSkipsNonPositiveValues() throws {
    let svg = SVGPlot.lineChart(
      title: "t", xLabel: "x", yLabel: "y",
      series: [PlotSeries(name: "s", y: [1, 10, 0, 100, 1000])],
      logY: true)
    let document = try #require(SVGDocument.parse(svg))
    #expect(document.polylinePointCounts == [2, 2])
  }

  @Test func textIsEscaped() throws {
    let title = #"Fit <sin(x)> & "cos" 'x'"#
    let svg = SVGPlot.lineChart(
      title: title, xLabel: "x < 5", yLabel: "y & z",
      series: [PlotSeries(name: "<b>bold</b>", y: [1, 2])])
    let document = try #require(SVGDocument.parse(svg))
    #expect(document.texts(ofClass: "title") == [title])
    #expect(document.texts(ofClass: "x-label") == ["x < 5"])
    #expect(document.texts(ofClass: "legend-label") == ["<b>bold</b>"])
    #expect(!svg.contains("<b>"))
  }

  @Test func emptySeriesAndNoSeriesAreHandled() throws {
    let empty = try #require(
      SVGDocument.parse(
        SVGPlot.lineChart(
          title: "t", xLabel: "x", yLabel: "y",
          series: [
            PlotSeries(name: "nothing", y: []), PlotSeries(name: "all NaN", y: [.nan, .nan]),
          ])))
    #expect(empty.texts(ofClass: "no-data") == ["no data to plot"])
    #expect(empty.texts(ofClass: "legend-label") == ["nothing (no data)", "all NaN (no data)"])
    #expect(empty.elements(ofClass: "series-line").isEmpty)

    let none = try #require(
      SVGDocument.parse(SVGPlot.lineChart(title: "t", xLabel: "x", yLabel: "y", series: [])))
    #expect(none.elements(ofClass: "legend-box").isEmpty)
    #expect(none.texts(ofClass: "no-data") == ["no data to plot"])
  }

  /// The plot frame's left and right edges.
  func frameEdges(_ document: SVGDocument) throws -> (left: Double, right: Double) {
    let frame = try #require(document.elements(ofClass: "frame").first)
    let x = try #require(Double(frame.attributes["x"] ?? ""))
    let width = try #require(Double(frame.attributes["width"] ?? ""))
    return (x, x + width)
  }

  @Test func theLegendSitsInAnEmptyCornerOrBesideACrowdedPlot() throws {
    // A falling curve leaves the top right empty: the legend goes there, inside the frame.
    let falling = try #require(
      SVGDocument.parse(SVGPlot.lossChart(trainingLoss: (1...50).map { 1 / Double($0) })))
    let box = try #require(falling.elements(ofClass: "legend-box").first)
    let boxX = try #require(Double(box.attributes["x"] ?? ""))
    let boxY = try #require(Double(box.attributes["y"] ?? ""))
    let edges = try frameEdges(falling)
    #expect(boxX > (edges.left + edges.right) / 2 && boxX < edges.right)
    #expect(boxY < 100)

    // Nine flat lines a decade apart fill every corner: the legend moves right of the frame.
    let layers = (0..<9).map { k in
      (name: "layer \(k + 1)", norms: [Double](repeating: pow(10, -Double(k)), count: 50))
    }
    let crowded = try #require(SVGDocument.parse(SVGPlot.gradientNormChart(layers: layers)))
    let crowdedBox = try #require(crowded.elements(ofClass: "legend-box").first)
    #expect(
      try #require(Double(crowdedBox.attributes["x"] ?? "")) > (try frameEdges(crowded)).right)
    #expect(crowded.texts(ofClass: "legend-label") == (1...9).map { "layer \($0)" })
    #expect(crowded.texts(ofClass: "y-label") == ["gradient norm ‖∂L/∂W‖ (log scale)"])
  }

  @Test func aFitChartShowsTheDataAsPointsAndThePredictionAsASortedLine() throws {
    let inputs = [0.5, -1, 2, 1.5, 0]
    let svg = SVGPlot.fitChart(
      title: "Fit of sin(x)", inputs: inputs, targets: inputs.map(sin),
      predictions: inputs.map { sin($0) * 0.9 })
    let document = try #require(SVGDocument.parse(svg))
    #expect(document.elements(ofClass: "series-point").count == 5)
    #expect(document.polylinePointCounts == [5])
    let xs = try #require(document.elements(ofClass: "series-line").first?.attributes["points"])
      .split(separator: " ").compactMap { Double($0.split(separator: ",")[0]) }
    #expect(xs == xs.sorted(), "the prediction is drawn from left to right")
    #expect(document.texts(ofClass: "legend-label") == ["target", "prediction"])
  }

  @Test func decisionRegionsFillCellsAndDrawPointsOnTop() throws {
    // Rows from the bottom: [0, 0, 1] then [1, 1, 1] (one run), then [2, 0, 2].
    let grid = [[0, 0, 1], [1, 1, 1], [2, 0, 2]]
    let points: [(x: Double, y: Double, label: Int)] = [
      (-0.5, -0.5, 0), (0.5, 0.5, 1), (0.9, -0.9, 2), (5, 5, 1),  // the last lies outside
    ]
    let svg = SVGPlot.decisionRegions(
      title: "Decision regions", xLabel: "x1", yLabel: "x2", xRange: -1...1, yRange: -1...1,
      grid: grid, points: points, classNames: ["red & co", "blue", "green"])
    let document = try #require(SVGDocument.parse(svg))
    let cells = document.elements(ofClass: "cell")
    #expect(cells.count == 2 + 1 + 3, "runs of one class are merged")
    let light = (0..<3).map { SVGPlot.tint(SVGPlot.palette[$0]) }
    #expect(
      cells.map { $0.attributes["fill"] } == [
        light[0], light[1], light[1], light[2], light[0], light[2],
      ])
    // grid[0] is the bottom row: its cells sit lower on the page (larger y).
    let y = cells.compactMap { Double($0.attributes["y"] ?? "") }
    #expect(y[0] > y[2] && y[2] > y[3])

    let drawn = document.elements(ofClass: "point")
    #expect(drawn.count == 3)
    #expect(
      drawn.map { $0.attributes["fill"] } == [
        SVGPlot.palette[0], SVGPlot.palette[1], SVGPlot.palette[2],
      ])
    #expect(drawn.allSatisfy { $0.attributes["stroke"] == "#1a1a1a" })
    #expect(document.texts(ofClass: "legend-label") == ["red & co", "blue", "green"])
    #expect(document.texts(ofClass: "title") == ["Decision regions"])
    #expect(
      document.texts(ofClass: "x-label") == ["x1"] && document.texts(ofClass: "y-label") == ["x2"])
    #expect(document.texts(ofClass: "x-tick-label") == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
  }

  @Test func decisionRegionsDrawUnknownClassesGray() throws {
    let document = try #require(
      SVGDocument.parse(
        SVGPlot.decisionRegions(
          title: "t", xRange: 0...1, yRange: 0...1, grid: [[0, 7]], points: [(0.5, 0.5, -1)],
          classNames: ["only"])))
    #expect(
      document.elements(ofClass: "cell").map { $0.attributes["fill"] } == [
        SVGPlot.tint(SVGPlot.palette[0]), "#d9d9d9",
      ])
    #expect(document.elements(ofClass: "point").first?.attributes["fill"] == "#7f7f7f")
  }

  @Test func manyClassNamesWrapOntoSeveralLegendRows() {
    let rows = SVGPlot.legendRowLayout(
      names: (0..<10).map { "digit \($0)" }, maximumWidth: 300, itemPadding: 34)
    #expect(rows.count > 1)
    #expect(rows.flatMap { $0.map(\.index) } == Array(0..<10))
    #expect(rows.allSatisfy { $0.reduce(0) { $0 + $1.width } <= 300 })
  }

  /// The y pixel coordinates of every point of the `series-line` polylines of `document`.
  func polylineYs(_ document: SVGDocument) -> [Double] {
    document.elements(ofClass: "series-line").flatMap {
      ($0.attributes["points"] ?? "").split(separator: " ").compactMap {
        $0.split(separator: ",").last.flatMap { Double($0) }
      }
    }
  }

  @Test("a line keeps the first, lowest, highest and last point of each pixel column")
  func pixelColumnExtremes() {
    let points: [(x: Double, y: Double)] = [
      (10.1, 5), (10.2, 9), (10.5, 1), (10.7, 4), (10.9, 3), (11.0, 7), (11.5, 7), (12.2, 2),
    ]
    let kept = SVGPlot.pixelColumnExtremes(points)
    #expect(kept.map(\.x) == [10.1, 10.2, 10.5, 10.9, 11.0, 11.5, 12.2])
    #expect(kept.map(\.y) == [5, 9, 1, 3, 7, 7, 2])
    // Four points or fewer are kept as they are.
    #expect(SVGPlot.pixelColumnExtremes(Array(points.prefix(4))).count == 4)
  }

  @Test("a 2-million-epoch loss curve gives a small SVG whose drawn extremes are the data's")
  func longHistoriesAreDrawnFromBoundedPoints() throws {
    let count = 2_000_000
    var loss = (0..<count).map { (1 + 0.1 * sin(Double($0))) / (1 + Double($0) / 1000) }
    loss[1_234_567] = 3  // a spike above every other value
    loss[1_800_000] = 0.0001  // a dip below every other value
    // Without a legend, so that the chart below has exactly the same plot area.
    let svg = SVGPlot.lineChart(
      title: "t", xLabel: "x", yLabel: "y", series: [PlotSeries(name: "", y: loss)])
    #expect(svg.utf8.count < 200_000, "\(svg.utf8.count) bytes")
    let long = try #require(SVGDocument.parse(svg))
    #expect(long.polylinePointCounts.allSatisfy { $0 <= 4 * 720 }, "\(long.polylinePointCounts)")

    // The same extremes drawn alone, on the same axes (same x and y ranges): the long curve's
    // highest and lowest drawn points are exactly theirs.
    let extremes = [0, 1_234_567, 1_800_000, count - 1]
    let short = try #require(
      SVGDocument.parse(
        SVGPlot.lineChart(
          title: "t", xLabel: "x", yLabel: "y",
          series: [
            PlotSeries(name: "", x: extremes.map { Double($0 + 1) }, y: extremes.map { loss[$0] })
          ])))
    let (longYs, shortYs) = (polylineYs(long), polylineYs(short))
    #expect(longYs.min() == shortYs.min() && longYs.max() == shortYs.max(), "\(shortYs)")
  }
}
