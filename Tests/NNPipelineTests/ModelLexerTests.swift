import NNProtocols
import Testing

@testable import NNPipeline

@Suite("ModelLexer")
struct ModelLexerTests {
  typealias L = ModelLexer

  func statement(_ line: String) -> (L.Statement?, [L.Diagnostic]) {
    var diagnostics: [L.Diagnostic] = []
    let statement = L.statement(in: Array(line), lineNumber: 4, diagnostics: &diagnostics)
    return (statement, diagnostics)
  }

  @Test("lines split at LF, CRLF and CR; a byte-order mark is dropped")
  func lines() {
    let lines = L.lines(of: "\u{FEFF}a\r\nb\rc\n\nd").map { String($0) }
    #expect(lines == ["a", "b", "c", "", "d"])
    #expect(L.lines(of: "").map { String($0) } == [""])
    #expect(L.lines(of: "x\n").map { String($0) } == ["x", ""])
  }

  @Test("a statement keeps the line and column of its keyword, name, keys and values")
  func positions() throws {
    let (parsed, diagnostics) = statement("  layer\tdense units=20  activation=sigmoid # comment")
    #expect(diagnostics.isEmpty)
    let layer = try #require(parsed)
    #expect(layer.kind == .layer)
    #expect(layer.keyword == L.Token(text: "layer", origin: .file(line: 4, column: 3)))
    #expect(layer.name == L.Token(text: "dense", origin: .file(line: 4, column: 9)))
    #expect(layer.options.map(\.key.text) == ["units", "activation"])
    #expect(layer.options.map(\.value.text) == ["20", "sigmoid"])
    #expect(layer.options[0].key.origin == .file(line: 4, column: 15))
    #expect(layer.options[0].value.origin == .file(line: 4, column: 21))
    #expect(layer.options[1].key.origin == .file(line: 4, column: 25))
    #expect(layer.options[1].value.origin == .file(line: 4, column: 36))
  }

  @Test("blank and comment-only lines give no statement")
  func blankLines() {
    for line in ["", "   ", "\t", "# comment", "   # indented comment"] {
      let (parsed, diagnostics) = statement(line)
      #expect(parsed == nil)
      #expect(diagnostics.isEmpty)
    }
  }

  @Test("spaces inside quotes and parentheses do not split a value; '#' inside quotes is text")
  func grouping() throws {
    let (parsed, diagnostics) = statement(
      #"data csv path="a b # c.csv" mix=f(x=1, y=g(z=2)) end=1"#)
    #expect(diagnostics.isEmpty)
    let data = try #require(parsed)
    #expect(data.options.map(\.value.text) == [#""a b # c.csv""#, "f(x=1, y=g(z=2))", "1"])
  }

  @Test("statements of fixed keys take no name")
  func fixedStatement() throws {
    let (parsed, diagnostics) = statement("train epochs=3")
    #expect(diagnostics.isEmpty)
    #expect(parsed?.name == nil)
    #expect(parsed?.options.first?.key.text == "epochs")
  }

  @Test("a component value splits into its name and options, nested, with positions")
  func componentValue() throws {
    var diagnostics: [L.Diagnostic] = []
    let value = L.Value(
      characters: Array("scaled( base=normal(mean=1, std=0.5) ,factor=2, list=1,-2,.5 )"),
      origin: .file(line: 2, column: 10))
    let syntax = try #require(L.component(value, kind: .initializer, diagnostics: &diagnostics))
    #expect(diagnostics.isEmpty)
    #expect(syntax.name == L.Token(text: "scaled", origin: .file(line: 2, column: 10)))
    #expect(syntax.options.map(\.key.text) == ["base", "factor", "list"])
    #expect(syntax.options.map(\.value.text) == ["normal(mean=1, std=0.5)", "2", "1,-2,.5"])
    #expect(syntax.options[0].key.origin == .file(line: 2, column: 18))
    #expect(syntax.options[0].value.origin == .file(line: 2, column: 23))
    let inner = try #require(
      L.component(syntax.options[0].value, kind: .initializer, diagnostics: &diagnostics))
    #expect(inner.options.map(\.key.text) == ["mean", "std"])
    #expect(inner.options[1].value.origin == .file(line: 2, column: 42))
    // A bare name and empty parentheses have no options.
    #expect(
      L.component(
        L.Value(characters: Array("relu"), origin: .model), kind: .activation,
        diagnostics: &diagnostics)?.options == [])
    #expect(
      L.component(
        L.Value(characters: Array("relu()"), origin: .model), kind: .activation,
        diagnostics: &diagnostics)?.options == [])
    #expect(diagnostics.isEmpty)
  }

  @Test("quoted strings: \\\" and \\\\ are escapes, any other backslash stays")
  func unquote() {
    let text = Array(#"a \"b\" c\\d \n"#)
    #expect(L.unquote(text[...]) == #"a "b" c\d \n"#)
    #expect(L.closingQuote(in: Array(#""a\"b" x"#), openingAt: 0) == 5)
    #expect(L.closingQuote(in: Array(#""abc"#), openingAt: 0) == nil)
  }

  @Test("'=' signs inside quotes or parentheses are not top-level")
  func topLevel() {
    #expect(L.topLevelIndices(of: "=", in: Array(#"a=f(b=1)="c=d"=e"#)) == [1, 8, 14])
  }

  @Test("an override origin stays the same when advanced")
  func overrideOrigin() {
    #expect(L.Origin.override("x=1").advanced(by: 3) == .override("x=1"))
    #expect(L.Origin.file(line: 2, column: 5).advanced(by: 3) == .file(line: 2, column: 8))
  }
}
