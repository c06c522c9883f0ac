import Testing

@testable import NNPlots

@Suite struct PlotCanvasTests {
  @Test func escapesTheFiveXMLCharactersAndForbiddenControls() {
    #expect(
      PlotCanvas.escape(#"a < b && c > "d" 'e'"#)
        == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;")
    #expect(PlotCanvas.escape("bell\u{07}") == "bell\u{FFFD}")
    #expect(PlotCanvas.escape("tab\tand ‖∂L/∂W‖") == "tab\tand ‖∂L/∂W‖")
  }

  @Test func coordinatesHaveAtMostOneDecimal() {
    #expect(PlotCanvas.number(12) == "12")
    #expect(PlotCanvas.number(12.04) == "12")
    #expect(PlotCanvas.number(12.46) == "12.5")
    #expect(PlotCanvas.number(-3.2) == "-3.2")
    #expect(PlotCanvas.number(-0.04) == "0")
    #expect(PlotCanvas.number(1e300) == "1000000")
    #expect(PlotCanvas.number(.nan) == "0")
  }

  @Test func aDocumentIsCompleteSVG() {
    var canvas = PlotCanvas(width: 100, height: 50)
    canvas.text("hi", 1, 2, className: "label")
    let svg = canvas.document(title: "T & U")
    #expect(svg.hasPrefix(#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#))
    #expect(svg.contains(#"width="100" height="50" viewBox="0 0 100 50""#))
    #expect(svg.contains("<title>T &amp; U</title>"))
    #expect(svg.contains(#">hi</text>"#))
    #expect(svg.hasSuffix("</svg>\n"))
    #expect(!svg.contains("<script") && !svg.contains("@font-face") && !svg.contains("href"))
  }

  @Test func tintsMixTowardsWhite() {
    #expect(SVGPlot.tint("#000000", strength: 0.3) == "#b3b3b3")
    #expect(SVGPlot.tint("#ff0000", strength: 1) == "#ff0000")
    #expect(SVGPlot.tint("#1f77b4", strength: 0) == "#ffffff")
  }
}
