import NNProtocols
import Testing

@Suite("DisplayText")
struct DisplayTextTests {
  @Test(
    "a quoted word escapes everything that is not printable ASCII and is cut after 64 characters")
  func quoted() {
    #expect(DisplayText.quoted("sigmoid") == "'sigmoid'")
    #expect(DisplayText.quoted("sigm\u{43E}id") == "'sigm\\u{43E}id'")
    #expect(DisplayText.quoted("a\tb\u{202E}c") == "'a\\u{9}b\\u{202E}c'")
    let long = String(repeating: "x", count: 1_000_000)
    #expect(DisplayText.quoted(long) == "'" + String(repeating: "x", count: 64) + "…'")
    #expect(DisplayText.quoted(String(repeating: "x", count: 64)).count == 66)
  }

  @Test("the note names the first non-ASCII character by its code point and Unicode name")
  func nonASCIINote() {
    #expect(DisplayText.nonASCIINote("relu") == nil)
    #expect(
      DisplayText.nonASCIINote("sigm\u{43E}id")
        == " (it contains the non-ASCII character U+043E CYRILLIC SMALL LETTER O)")
    #expect(
      DisplayText.nonASCIINote("re\u{200B}lu")
        == " (it contains the non-ASCII character U+200B ZERO WIDTH SPACE)")
    #expect(
      DisplayText.quotedWithNote("\u{E9}")
        == "'\\u{E9}' (it contains the non-ASCII character U+00E9 LATIN SMALL LETTER E WITH ACUTE)")
  }

  @Test("invisible characters are escaped in any text; letters of any script are kept")
  func escapingInvisible() {
    #expect(DisplayText.escapingInvisible("class 'été' ≥ 1") == "class 'été' ≥ 1")
    #expect(
      DisplayText.escapingInvisible("a\u{0}b\u{1B}[31mc\u{200D}d\u{FEFF}\u{2066}\u{A0}")
        == "a\\u{0}b\\u{1B}[31mc\\u{200D}d\\u{FEFF}\\u{2066}\\u{A0}")
    #expect(DisplayText.escapingInvisible("line\nnext\tcell") == "line\nnext\tcell")
  }

  @Test("a long message loses its middle; a short one is unchanged")
  func bounded() {
    #expect(DisplayText.bounded("short") == "short")
    let message = "head " + String(repeating: "m", count: 100_000) + " tail"
    let shown = DisplayText.bounded(message)
    #expect(shown.count < DisplayText.longestMessage + 60)
    #expect(shown.hasPrefix("head mmm") && shown.hasSuffix("mmm tail"))
    #expect(shown.contains(" … (99060 characters left out) … "))
  }

  @Test("an excerpt of a long line is centred on the column, with … where it was cut")
  func excerpt() {
    #expect(DisplayText.excerpt(of: "layer dense", column: 7) == ("layer dense", "      "))
    #expect(DisplayText.excerpt(of: "\tx=1", column: 2) == ("\tx=1", "\t"))
    let line = String(repeating: "a", count: 1000) + "X" + String(repeating: "b", count: 1000)
    let (text, padding) = DisplayText.excerpt(of: line, column: 1001)
    #expect(text.count == DisplayText.longestExcerpt + 2)
    #expect(text.hasPrefix("…a") && text.hasSuffix("b…"))
    #expect(Array(text)[padding.count] == "X")
    // An escaped character widens the padding by its escape's length.
    let (escaped, escapedPadding) = DisplayText.excerpt(of: "a\u{200B}b=1", column: 3)
    #expect(escaped == "a\\u{200B}b=1")
    #expect(Array(escaped)[escapedPadding.count] == "b")
  }

  @Test("shortened keeps 120 characters of an argument")
  func shortened() {
    #expect(DisplayText.shortened("train.epochs=5") == "train.epochs=5")
    #expect(DisplayText.shortened(String(repeating: "z", count: 500)).count == 121)
  }
}
