import Foundation

/// One named data series of a line chart.
public struct PlotSeries: Sendable, Equatable {
  /// How a series is drawn.
  public enum Style: Sendable, Equatable {
    /// A line through the points (a loss curve, a prediction).
    case line
    /// A marker at each point (data samples).
    case points
    /// Both.
    case lineAndPoints

    var hasLine: Bool { self != .points }
    var hasPoints: Bool { self != .line }
  }

  /// The legend name.
  public var name: String
  /// The x coordinates.
  public var x: [Double]
  /// The y coordinates; a NaN or infinite value (or a value ≤ 0 on a log axis) leaves a gap.
  public var y: [Double]
  /// Line, points or both; default `.line`.
  public var style: Style

  /// A series of points `(x[i], y[i])`.
  ///
  /// - Precondition: `x` and `y` have the same length.
  public init(name: String, x: [Double], y: [Double], style: Style = .line) {
    precondition(
      x.count == y.count, "PlotSeries '\(name)': \(x.count) x values but \(y.count) y values")
    self.name = name
    self.x = x
    self.y = y
    self.style = style
  }

  /// A series over `1, 2, …, y.count` (e.g. one value per epoch).
  public init(name: String, y: [Double], style: Style = .line) {
    self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y, style: style)
  }
}

/// Charts as self-contained SVG 1.1 text: no scripts, no external fonts, viewable in any browser.
///
/// - `lineChart`: any number of series, linear or log y axis, legend; the loss curve (`lossChart`)
///   and the per-layer gradient norms (`gradientNormChart`) are line charts.
/// - `fitChart`: a one-input regression, the data as points and the prediction as a line (the first
///   tutorial's figure of the sine fit).
/// - `decisionRegions`: a two-input classifier's predicted class over a grid, with the data on top.
///
/// Axes have "nice" ticks (`PlotAxis`), every element carries a `class` naming its role (`series-line`,
/// `series-point`, `legend`, `cell`, `point`, …), and all text is escaped for XML.
public enum SVGPlot {
  /// Distinct series colors (the Tableau 10 palette, readable by most color-blind readers); after
  /// ten series, colors repeat with dashed lines.
  public static let palette = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
  ]

  /// Whether `values` call for a log axis: every finite value is positive and the largest is more
  /// than 100 times the smallest (they span more than two decades).
  public static func shouldUseLogScale(_ values: [Double]) -> Bool {
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max(), low > 0 else { return false }
    return high / low > 100
  }

  // MARK: - Line charts

  /// A line chart of `series` with axes, ticks, axis labels, a title and a legend.
  ///
  /// - Parameters:
  ///   - logY: a logarithmic y axis; `nil` (default) decides with `shouldUseLogScale` over all y.
  ///   - width, height: the size in pixels; default 720 × 440.
  /// - Returns: the SVG document. Non-finite points leave gaps; a series with nothing to draw is
  ///   marked "(no data)" in the legend; with no data at all the chart says so.
  public static func lineChart(
    title: String, xLabel: String, yLabel: String, series: [PlotSeries], logY: Bool? = nil,
    width: Int = 720, height: Int = 440
  ) -> String {
    let logarithmic = logY ?? shouldUseLogScale(series.flatMap(\.y))
    func drawable(_ x: Double, _ y: Double) -> Bool {
      x.isFinite && y.isFinite && (!logarithmic || y > 0)
    }
    var xs: [Double] = []
    var ys: [Double] = []
    for s in series {
      for (x, y) in zip(s.x, s.y) where drawable(x, y) {
        xs.append(x)
        ys.append(y)
      }
    }
    let hasMarkers = series.contains { $0.style.hasPoints }
    let xRange =
      PlotScale.range(of: xs, logarithmic: false, padding: hasMarkers ? 0.03 : 0) ?? (0, 1)
    let yRange =
      PlotScale.range(of: ys, logarithmic: logarithmic) ?? (logarithmic ? (1, 10) : (0, 1))

    // Each series as runs of consecutive drawable points in pixels; a gap starts a new run. A line
    // keeps at most four points per pixel column (see `pixelColumnExtremes`).
    func pixelRuns(_ xScale: PlotScale, _ yScale: PlotScale) -> [[[(x: Double, y: Double)]]] {
      series.map { s in
        var runs: [[(x: Double, y: Double)]] = [[]]
        for (x, y) in zip(s.x, s.y) {
          if drawable(x, y), let px = xScale.pixel(x), let py = yScale.pixel(y) {
            runs[runs.count - 1].append((px, py))
          } else if !runs[runs.count - 1].isEmpty {
            runs.append([])
          }
        }
        let drawn = runs.filter { !$0.isEmpty }
        return s.style == .line ? drawn.map(pixelColumnExtremes) : drawn
      }
    }
    let entries = series.enumerated().map { index, s in
      LegendEntry(
        name: s.name, color: palette[index % palette.count], style: s.style,
        dashed: index >= palette.count)
    }
    let showLegend = !series.isEmpty && !(series.count == 1 && series[0].name.isEmpty)

    var (xScale, yScale, frame) = layout(
      width: width, height: height, top: 44, rightMargin: 24, xRange: xRange, yRange: yRange,
      logarithmic: logarithmic)
    var runs = pixelRuns(xScale, yScale)
    var legendEntries = entries
    for (index, seriesRuns) in runs.enumerated() where seriesRuns.isEmpty {
      legendEntries[index].name += " (no data)"
    }
    // The legend goes in the emptiest inner corner; if every corner would hide data and the legend
    // is not too wide, the plot area narrows and the legend moves to its right.
    var legendOrigin: (x: Double, y: Double)?
    if showLegend {
      let size = legendSize(legendEntries)
      let placement = legendCorner(size: size, frame: frame, runs: runs, series: series)
      if placement.covered > 0 && size.width < Double(width) * 0.35 {
        (xScale, yScale, frame) = layout(
          width: width, height: height, top: 44, rightMargin: size.width + 36, xRange: xRange,
          yRange: yRange, logarithmic: logarithmic)
        runs = pixelRuns(xScale, yScale)
        legendOrigin = (frame.right + 12, frame.top)
      } else {
        legendOrigin = placement.origin
      }
    }

    var canvas = PlotCanvas(width: width, height: height)
    drawAxes(
      &canvas, frame: frame, xScale: xScale, yScale: yScale, xLabel: xLabel, yLabel: yLabel,
      title: title, gridLines: true)

    // The data, clipped to the plot area.
    canvas.add(
      #"<clipPath id="plot-area"><rect x="\#(PlotCanvas.number(frame.left))" "#
        + #"y="\#(PlotCanvas.number(frame.top))" width="\#(PlotCanvas.number(frame.width))" "#
        + #"height="\#(PlotCanvas.number(frame.height))"/></clipPath>"#)
    canvas.add(#"<g class="data" clip-path="url(#plot-area)">"#)
    for (s, (entry, seriesRuns)) in zip(series, zip(entries, runs)) {
      let markerRadius = s.x.count > 1500 ? 2.0 : 3.0
      for run in seriesRuns {
        if s.style.hasLine && run.count >= 2 {
          canvas.polyline(run, stroke: entry.color, className: "series-line", dashed: entry.dashed)
        }
        // Markers: for point styles, and for a lone point a line cannot show.
        if s.style.hasPoints || run.count == 1 {
          for point in run {
            canvas.circle(
              point.x, point.y, radius: markerRadius, fill: entry.color, stroke: "#ffffff",
              strokeWidth: 0.6, className: "series-point")
          }
        }
      }
    }
    canvas.add("</g>")

    if xs.isEmpty {
      canvas.text(
        "no data to plot", frame.left + frame.width / 2, frame.top + frame.height / 2,
        anchor: "middle", size: 14, color: "#777777", className: "no-data")
    }
    if let legendOrigin {
      drawLegend(&canvas, entries: legendEntries, at: legendOrigin)
    }
    return canvas.document(title: title)
  }

  /// The points of a line (in pixels) that draw the same picture: of each run of consecutive points in
  /// one pixel column, the first, the lowest, the highest and the last, in their order.
  ///
  /// A loss curve of two million epochs becomes at most four points per pixel of the chart's width
  /// (a few thousand), and the drawing keeps its shape: every column spans the same values, the
  /// extremes are the data's, and the line enters and leaves each column where it did.
  static func pixelColumnExtremes(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
    guard points.count > 4 else { return points }
    var result: [(x: Double, y: Double)] = []
    var start = 0
    while start < points.count {
      let column = points[start].x.rounded(.down)
      var end = start + 1
      var lowest = start
      var highest = start
      while end < points.count, points[end].x.rounded(.down) == column {
        if points[end].y < points[lowest].y { lowest = end }
        if points[end].y > points[highest].y { highest = end }
        end += 1
      }
      for index in Set([start, lowest, highest, end - 1]).sorted() { result.append(points[index]) }
      start = end
    }
    return result
  }

  /// The loss per epoch: training (and validation) loss over epochs `1…n`, on a log axis when the
  /// values span more than two decades.
  public static func lossChart(
    trainingLoss: [Double], validationLoss: [Double]? = nil, title: String = "Loss per epoch",
    yLabel: String = "loss", width: Int = 720, height: Int = 440
  ) -> String {
    var series = [PlotSeries(name: "training", y: trainingLoss)]
    if let validationLoss { series.append(PlotSeries(name: "validation", y: validationLoss)) }
    return lineChart(
      title: title, xLabel: "epoch", yLabel: yLabel, series: series, width: width, height: height)
  }

  /// The norm of each layer's gradient over training, one series per layer on a log axis: the
  /// vanishing gradient of a deep sigmoid stack shows as lines decades apart. Zero norms leave gaps.
  public static func gradientNormChart(
    layers: [(name: String, norms: [Double])], title: String = "Gradient norm per layer",
    xLabel: String = "epoch", yLabel: String = "gradient norm ‖∂L/∂W‖",
    width: Int = 720, height: Int = 440
  ) -> String {
    lineChart(
      title: title, xLabel: xLabel, yLabel: yLabel,
      series: layers.map { PlotSeries(name: $0.name, y: $0.norms) }, logY: true, width: width,
      height: height)
  }

  /// A one-input regression: the data (`inputs`, `targets`) as points and the model's prediction
  /// as a line over the input (sorted by input).
  ///
  /// - Parameters:
  ///   - predictionInputs: where the prediction was evaluated; default `inputs` (e.g. a finer grid
  ///     can be passed for a smooth curve).
  ///   - predictions: the model's outputs at `predictionInputs`.
  public static func fitChart(
    title: String, xLabel: String = "x", yLabel: String = "y", inputs: [Double],
    targets: [Double], predictionInputs: [Double]? = nil, predictions: [Double],
    width: Int = 720, height: Int = 440
  ) -> String {
    let curveInputs = predictionInputs ?? inputs
    precondition(
      curveInputs.count == predictions.count,
      "fitChart: \(curveInputs.count) prediction inputs but \(predictions.count) predictions")
    let order = curveInputs.indices.filter { !curveInputs[$0].isNaN }.sorted {
      curveInputs[$0] < curveInputs[$1]
    }
    return lineChart(
      title: title, xLabel: xLabel, yLabel: yLabel,
      series: [
        PlotSeries(name: "target", x: inputs, y: targets, style: .points),
        PlotSeries(
          name: "prediction", x: order.map { curveInputs[$0] }, y: order.map { predictions[$0] }),
      ],
      logY: false, width: width, height: height)
  }

  // MARK: - Decision regions

  /// A two-input classifier's decision regions: each grid cell filled with a light tint of its
  /// predicted class's color, the data points on top in the class's strong color with a dark
  /// outline, a legend of class names, and axes.
  ///
  /// - Parameters:
  ///   - xRange, yRange: the input area the grid covers.
  ///   - grid: the predicted class index of each cell; `grid[0]` is the **bottom** row (at
  ///     `yRange.lowerBound`) and each row runs left to right from `xRange.lowerBound`. A class
  ///     index outside `classNames` is drawn gray.
  ///   - points: the data, each with its true class index; points outside the ranges are not drawn.
  ///   - width, height: default 600 × 540.
  public static func decisionRegions(
    title: String, xLabel: String = "x1", yLabel: String = "x2", xRange: ClosedRange<Double>,
    yRange: ClosedRange<Double>, grid: [[Int]], points: [(x: Double, y: Double, label: Int)],
    classNames: [String], width: Int = 600, height: Int = 540
  ) -> String {
    var canvas = PlotCanvas(width: width, height: height)
    let legendRows = legendRowLayout(
      names: classNames, maximumWidth: Double(width) - 40, itemPadding: 34)
    let top = 44 + Double(legendRows.count) * 20 + 8
    let (xScale, yScale, frame) = layout(
      width: width, height: height, top: top,
      xRange: (xRange.lowerBound, xRange.upperBound),
      yRange: (yRange.lowerBound, yRange.upperBound),
      logarithmic: false)
    func strong(_ label: Int) -> String {
      classNames.indices.contains(label) ? palette[label % palette.count] : "#7f7f7f"
    }
    func light(_ label: Int) -> String {
      classNames.indices.contains(label) ? tint(palette[label % palette.count]) : "#d9d9d9"
    }

    // Cells, merged into runs of one class per row to keep the file small.
    canvas.add(#"<g class="regions" shape-rendering="crispEdges">"#)
    let cellHeight = frame.height / Double(Swift.max(grid.count, 1))
    for (row, classes) in grid.enumerated() {
      let cellWidth = frame.width / Double(Swift.max(classes.count, 1))
      let y = frame.bottom - Double(row + 1) * cellHeight
      var start = 0
      while start < classes.count {
        var end = start + 1
        while end < classes.count && classes[end] == classes[start] { end += 1 }
        canvas.rect(
          frame.left + Double(start) * cellWidth, y, Double(end - start) * cellWidth, cellHeight,
          fill: light(classes[start]), className: "cell")
        start = end
      }
    }
    canvas.add("</g>")

    drawAxes(
      &canvas, frame: frame, xScale: xScale, yScale: yScale, xLabel: xLabel, yLabel: yLabel,
      title: title, gridLines: false)

    let radius = points.count > 1000 ? 2.5 : 3.5
    for point in points {
      guard xRange.contains(point.x), yRange.contains(point.y), let px = xScale.pixel(point.x),
        let py = yScale.pixel(point.y)
      else { continue }
      canvas.circle(
        px, py, radius: radius, fill: strong(point.label), stroke: "#1a1a1a", strokeWidth: 0.8,
        className: "point")
    }

    // The legend: one row (or more) under the title.
    canvas.add(#"<g class="legend">"#)
    // Rows start at the same x, centered by the first (widest) row, so the items form columns.
    let firstRowWidth = legendRows.first?.reduce(0) { $0 + $1.width } ?? 0
    for (rowIndex, row) in legendRows.enumerated() {
      var x = (Double(width) - firstRowWidth) / 2
      let y = 44 + Double(rowIndex) * 20 + 6
      for item in row {
        canvas.rect(
          x, y - 6, 14, 14, fill: light(item.index), stroke: strong(item.index),
          className: "legend-swatch")
        canvas.circle(
          x + 7, y + 1, radius: 3.5, fill: strong(item.index), stroke: "#1a1a1a", strokeWidth: 0.8,
          className: "legend-marker")
        canvas.text(classNames[item.index], x + 20, y + 5, className: "legend-label")
        x += item.width
      }
    }
    canvas.add("</g>")
    return canvas.document(title: title)
  }

  // MARK: - Layout and shared drawing

  /// The plot area in pixels.
  struct Frame {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
  }

  /// The scales and plot area for a chart of `width` × `height` whose plot area starts at `top`:
  /// the left margin fits the longest y tick label.
  static func layout(
    width: Int, height: Int, top: Double, rightMargin: Double = 24,
    xRange: (lower: Double, upper: Double),
    yRange: (lower: Double, upper: Double), logarithmic: Bool
  ) -> (PlotScale, PlotScale, Frame) {
    let probe = PlotScale(
      lower: yRange.lower, upper: yRange.upper, start: 0, end: 1, isLogarithmic: logarithmic)
    let labelWidth = probe.ticks().map { PlotCanvas.textWidth($0.label, size: 11) }.max() ?? 0
    let left = (30 + labelWidth + 12).rounded()
    let frame = Frame(
      left: left, top: top, right: Double(width) - rightMargin, bottom: Double(height) - 52)
    let xScale = PlotScale(
      lower: xRange.lower, upper: xRange.upper, start: frame.left, end: frame.right)
    let yScale = PlotScale(
      lower: yRange.lower, upper: yRange.upper, start: frame.bottom, end: frame.top,
      isLogarithmic: logarithmic)
    return (xScale, yScale, frame)
  }

  /// Title, grid lines, frame, tick marks, tick labels and axis labels.
  static func drawAxes(
    _ canvas: inout PlotCanvas, frame: Frame, xScale: PlotScale, yScale: PlotScale,
    xLabel: String, yLabel: String, title: String, gridLines: Bool
  ) {
    let xTicks = xScale.ticks()
    let yTicks = yScale.ticks()
    if gridLines {
      canvas.add(#"<g class="grid">"#)
      if yScale.isLogarithmic {
        for value in PlotAxis.minorDecadeMarks(from: yScale.lower, to: yScale.upper) {
          guard let y = yScale.pixel(value) else { continue }
          canvas.line(frame.left, y, frame.right, y, stroke: "#f0f0f0", className: "grid-minor")
        }
      }
      for tick in yTicks {
        guard let y = yScale.pixel(tick.value) else { continue }
        canvas.line(frame.left, y, frame.right, y, stroke: "#dddddd", className: "grid-major")
      }
      for tick in xTicks {
        guard let x = xScale.pixel(tick.value) else { continue }
        canvas.line(x, frame.top, x, frame.bottom, stroke: "#dddddd", className: "grid-major")
      }
      canvas.add("</g>")
    }
    canvas.rect(
      frame.left, frame.top, frame.width, frame.height, fill: "none", stroke: "#444444",
      className: "frame")
    canvas.add(#"<g class="ticks">"#)
    for tick in xTicks {
      guard let x = xScale.pixel(tick.value) else { continue }
      canvas.line(x, frame.bottom, x, frame.bottom + 5, stroke: "#444444", className: "tick")
      canvas.text(
        tick.label, x, frame.bottom + 18, anchor: "middle", size: 11, color: "#333333",
        className: "x-tick-label")
    }
    for tick in yTicks {
      guard let y = yScale.pixel(tick.value) else { continue }
      canvas.line(frame.left - 5, y, frame.left, y, stroke: "#444444", className: "tick")
      canvas.text(
        tick.label, frame.left - 8, y + 4, anchor: "end", size: 11, color: "#333333",
        className: "y-tick-label")
    }
    canvas.add("</g>")
    canvas.text(
      xLabel, frame.left + frame.width / 2, frame.bottom + 40, anchor: "middle", size: 13,
      className: "x-label")
    let yLabelText = yScale.isLogarithmic ? yLabel + " (log scale)" : yLabel
    canvas.text(
      yLabelText, 20, frame.top + frame.height / 2, anchor: "middle", size: 13, rotation: -90,
      className: "y-label")
    canvas.text(
      title, Double(canvas.width) / 2, 26, anchor: "middle", size: 16, bold: true,
      className: "title")
  }

  /// One legend line of a line chart.
  struct LegendEntry {
    var name: String
    var color: String
    var style: PlotSeries.Style
    var dashed: Bool
  }

  /// The legend's layout constants: row height, inner padding, width of the line sample.
  static let legendRow = 18.0
  static let legendPadding = 8.0
  static let legendSample = 24.0

  /// The width and height of a line chart's legend box.
  static func legendSize(_ entries: [LegendEntry]) -> (width: Double, height: Double) {
    let textWidth = entries.map { PlotCanvas.textWidth($0.name) }.max() ?? 0
    return (
      legendPadding + legendSample + 6 + textWidth + legendPadding,
      legendPadding * 2 + Double(entries.count) * legendRow - 4
    )
  }

  /// The inner corner of the plot area where a legend of `size` covers the fewest drawn points and
  /// line segments (preferring top right, then top left, bottom right, bottom left), and how many
  /// it covers there.
  static func legendCorner(
    size: (width: Double, height: Double), frame: Frame,
    runs: [[[(x: Double, y: Double)]]], series: [PlotSeries]
  ) -> (origin: (x: Double, y: Double), covered: Int) {
    // Sample every segment of a line so a line crossing the box counts, not only its vertices.
    var occupied: [(x: Double, y: Double)] = []
    for (s, seriesRuns) in zip(series, runs) {
      for run in seriesRuns {
        occupied += run
        guard s.style.hasLine else { continue }
        for (a, b) in zip(run, run.dropFirst()) {
          let steps = Swift.max(1, Int((Swift.abs(b.x - a.x) + Swift.abs(b.y - a.y)) / 4))
          for step in 1..<steps + 1 {
            let t = Double(step) / Double(steps)
            occupied.append((a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
          }
        }
      }
    }
    let inset = 10.0
    let corners = [
      (frame.right - inset - size.width, frame.top + inset),
      (frame.left + inset, frame.top + inset),
      (frame.right - inset - size.width, frame.bottom - inset - size.height),
      (frame.left + inset, frame.bottom - inset - size.height),
    ]
    var best = (origin: (x: corners[0].0, y: corners[0].1), covered: Int.max)
    for (x, y) in corners {
      let covered = occupied.reduce(0) { count, point in
        let inside =
          point.x >= x - 4 && point.x <= x + size.width + 4 && point.y >= y - 4
          && point.y <= y + size.height + 4
        return count + (inside ? 1 : 0)
      }
      if covered < best.covered { best = ((x, y), covered) }
    }
    return best
  }

  /// A boxed legend with its top-left corner at `origin`: a line (and/or marker) sample in the
  /// series' color, then its name.
  static func drawLegend(
    _ canvas: inout PlotCanvas, entries: [LegendEntry], at origin: (x: Double, y: Double)
  ) {
    let size = legendSize(entries)
    canvas.add(#"<g class="legend">"#)
    canvas.rect(
      origin.x, origin.y, size.width, size.height, fill: "#ffffff", stroke: "#bbbbbb",
      opacity: 0.92, className: "legend-box")
    for (row, entry) in entries.enumerated() {
      let y = origin.y + legendPadding + Double(row) * legendRow + 6
      let sampleStart = origin.x + legendPadding
      if entry.style.hasLine {
        canvas.line(
          sampleStart, y, sampleStart + legendSample, y, stroke: entry.color, width: 2.5,
          className: "legend-line", dashed: entry.dashed)
      }
      if entry.style.hasPoints {
        canvas.circle(
          sampleStart + legendSample / 2, y, radius: 3.5, fill: entry.color, stroke: "#ffffff",
          strokeWidth: 0.6, className: "legend-marker")
      }
      canvas.text(entry.name, sampleStart + legendSample + 6, y + 4, className: "legend-label")
    }
    canvas.add("</g>")
  }

  /// Class names laid out in rows no wider than `maximumWidth`: each item is its index and width.
  /// Every item gets the width of the longest name, so that the rows line up as columns.
  static func legendRowLayout(names: [String], maximumWidth: Double, itemPadding: Double)
    -> [[(index: Int, width: Double)]]
  {
    var rows: [[(index: Int, width: Double)]] = [[]]
    var rowWidth = 0.0
    let itemWidth = (names.map { PlotCanvas.textWidth($0) }.max() ?? 0) + itemPadding
    for index in names.indices {
      if rowWidth + itemWidth > maximumWidth && !rows[rows.count - 1].isEmpty {
        rows.append([])
        rowWidth = 0
      }
      rows[rows.count - 1].append((index, itemWidth))
      rowWidth += itemWidth
    }
    return rows.filter { !$0.isEmpty }
  }

  /// `color` (`#rrggbb`) mixed with white: `tint = white + strength · (color − white)`.
  static func tint(_ color: String, strength: Double = 0.3) -> String {
    guard color.count == 7, let value = Int(color.dropFirst(), radix: 16) else { return color }
    let channels = [value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF].map { channel in
      Int((255 + strength * Double(channel - 255)).rounded())
    }
    return "#" + channels.map { String(format: "%02x", $0) }.joined()
  }
}
