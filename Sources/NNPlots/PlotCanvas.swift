/// A list of SVG 1.1 elements being drawn, and the text helpers every chart uses.
///
/// Output is self-contained: no scripts, no external fonts or images, generic font families only.
package struct PlotCanvas {
  /// The font stack: common sans-serif faces, then the generic family.
  package static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
  /// The average advance of a sans-serif character, as a fraction of the font size (for layout).
  static let characterWidth = 0.62
  /// The comment on every plot's second line, by which `OutputGuard` knows a plot nnpipe wrote (and
  /// may replace).
  package static let generatorComment = "<!-- generator: nnpipe -->"

  let width: Int
  let height: Int
  private(set) var elements: [String] = []

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// The complete SVG document; `title` becomes its `<title>` (shown by browsers as a tooltip).
  func document(title: String) -> String {
    var lines = [
      #"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
      Self.generatorComment,
      #"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" "#
        + #"width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" "#
        + #"font-family="\#(Self.fontFamily)" font-size="12">"#,
      "<title>\(Self.escape(title))</title>",
      ##"<rect class="background" x="0" y="0" width="\##(width)" height="\##(height)" fill="#ffffff"/>"##,
    ]
    lines += elements
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Appends a raw element (already escaped).
  mutating func add(_ element: String) { elements.append(element) }

  mutating func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
    strokeWidth: Double = 1, opacity: Double? = nil, className: String
  ) {
    var element =
      #"<rect class="\#(className)" x="\#(Self.number(x))" y="\#(Self.number(y))" "#
      + #"width="\#(Self.number(w))" height="\#(Self.number(h))" fill="\#(fill)""#
    if let stroke {
      element += #" stroke="\#(stroke)" stroke-width="\#(Self.number(strokeWidth))""#
    }
    if let opacity { element += #" fill-opacity="\#(opacity)""# }
    add(element + "/>")
  }

  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
    className: String, dashed: Bool = false
  ) {
    add(
      #"<line class="\#(className)" x1="\#(Self.number(x1))" y1="\#(Self.number(y1))" "#
        + #"x2="\#(Self.number(x2))" y2="\#(Self.number(y2))" stroke="\#(stroke)" "#
        + #"stroke-width="\#(Self.number(width))""# + (dashed ? #" stroke-dasharray="6 4""# : "")
        + "/>")
  }

  mutating func circle(
    _ x: Double, _ y: Double, radius: Double, fill: String, stroke: String? = nil,
    strokeWidth: Double = 1, className: String
  ) {
    var element =
      #"<circle class="\#(className)" cx="\#(Self.number(x))" cy="\#(Self.number(y))" "#
      + #"r="\#(Self.number(radius))" fill="\#(fill)""#
    if let stroke {
      element += #" stroke="\#(stroke)" stroke-width="\#(Self.number(strokeWidth))""#
    }
    add(element + "/>")
  }

  /// A polyline through `points` (pixel coordinates).
  mutating func polyline(
    _ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, className: String,
    dashed: Bool = false
  ) {
    let coordinates = points.map { Self.number($0.x) + "," + Self.number($0.y) }
      .joined(separator: " ")
    add(
      #"<polyline class="\#(className)" points="\#(coordinates)" fill="none" stroke="\#(stroke)" "#
        + #"stroke-width="\#(Self.number(width))" stroke-linejoin="round" stroke-linecap="round""#
        + (dashed ? #" stroke-dasharray="6 4""# : "") + "/>")
  }

  /// Text anchored at `x`, `y` (`anchor`: start, middle or end), optionally rotated about its anchor.
  mutating func text(
    _ content: String, _ x: Double, _ y: Double, anchor: String = "start", size: Double = 12,
    bold: Bool = false, color: String = "#222222", rotation: Double? = nil, className: String
  ) {
    var element =
      #"<text class="\#(className)" x="\#(Self.number(x))" y="\#(Self.number(y))" "#
      + #"text-anchor="\#(anchor)" font-size="\#(Self.number(size))" fill="\#(color)""#
    if bold { element += #" font-weight="bold""# }
    if let rotation {
      element +=
        #" transform="rotate(\#(Self.number(rotation)) \#(Self.number(x)) \#(Self.number(y)))""#
    }
    add(element + ">" + Self.escape(content) + "</text>")
  }

  /// `text` with the five XML special characters escaped, and characters XML 1.0 forbids (control
  /// characters other than tab and newline) replaced by U+FFFD.
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value):
        result += "\u{FFFD}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// A pixel coordinate with at most one decimal (`12`, `12.5`, `-3.2`); clamped to ±10⁶ so that
  /// the text is always a plain number.
  static func number(_ value: Double) -> String {
    let clamped = value.isFinite ? Swift.min(Swift.max(value, -1e6), 1e6) : 0
    let tenths = Int((clamped * 10).rounded())
    let magnitude = Swift.abs(tenths)
    let sign = tenths < 0 ? "-" : ""
    return sign + String(magnitude / 10) + (magnitude % 10 == 0 ? "" : "." + String(magnitude % 10))
  }

  /// The approximate width in pixels of `text` at `size`.
  static func textWidth(_ text: String, size: Double = 12) -> Double {
    Double(text.count) * size * characterWidth
  }
}
