import NNProtocols
import Testing

@testable import NNModelLanguage

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

  @Test("a line longer than 64 KiB is reported at its start and not read")
  func overlongLine() {
    let text = "data sine\nlayer dense " + String(repeating: "x", count: 70_000) + "\nlayer dense\n"
    let (statements, diagnostics) = L.statements(in: text)
    #expect(statements.map(\.kind) == [.data, .layer])
    #expect(
      diagnostics.map(\.message) == [
        "line 2 is 70012 bytes long; a model line is at most 65536 bytes"
      ])
    #expect(diagnostics.first?.origin == .file(line: 2, column: 1))
  }

  @Test("after 50 errors, reading stops with a note at the next line")
  func errorLimit() {
    let text = String(repeating: "nonsense\n", count: 1000)
    let (_, diagnostics) = L.statements(in: text)
    #expect(diagnostics.count == L.mostDiagnostics + 1)
    #expect(diagnostics.last?.origin == .file(line: 51, column: 1))
    #expect(diagnostics.last?.message == "too many errors (50); stopped reading the file here")
    // Within one line too: 10 000 stray words give at most 50 errors.
    let words = "data sine " + String(repeating: "w ", count: 10_000)
    #expect(L.statements(in: words).diagnostics.count == L.mostDiagnostics)
  }

  @Test("line ranges split at LF, CRLF and CR without building the lines")
  func lineRanges() {
    let bytes = Array("\u{FEFF}a\r\nbc\rd\n\n".utf8)
    let ranges = bytes.withUnsafeBufferPointer { L.lineRanges(of: $0) }
    #expect(ranges == [3..<4, 6..<8, 9..<10, 11..<11, 12..<12])
  }
}
