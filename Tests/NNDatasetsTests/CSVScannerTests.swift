import NNProtocols
import Testing

@testable import NNDatasets

@Suite("CSV scanner")
struct CSVScannerTests {
  /// Every record's cell texts.
  func records(_ text: String, delimiter: Character = ",") throws -> [[String]] {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer in
      var scanner = CSVScanner(
        base: buffer.baseAddress!, count: buffer.count, delimiter: delimiter.asciiValue!,
        file: "t.csv")
      var cells: [CSVCell] = []
      var result: [[String]] = []
      while try scanner.nextRecord(into: &cells) { result.append(cells.map(scanner.text(of:))) }
      return result
    }
  }

  @Test func plainRecords() throws {
    #expect(try records("a,b\n1,2") == [["a", "b"], ["1", "2"]])
    #expect(try records("a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
    #expect(try records("a,,\n") == [["a", "", ""]])
    #expect(try records("a,b,") == [["a", "b", ""]])
  }

  @Test func crlfAndBlankLines() throws {
    #expect(try records("a,b\r\n\r\n1,2\r\n\n") == [["a", "b"], ["1", "2"]])
  }

  @Test func quotedCells() throws {
    #expect(try records("\"a,b\",\"c\"\"d\"\n") == [["a,b", "c\"d"]])
    #expect(try records("\"line\r\nbreak\",x\r\n") == [["line\r\nbreak", "x"]])
    #expect(try records("\"\"\"\"") == [["\""]])
    #expect(try records("\"\",1") == [["", "1"]])
  }

  @Test func byteOrderMarkIsSkipped() throws {
    #expect(try records("\u{FEFF}a,b\n") == [["a", "b"]])
  }

  @Test func unterminatedQuote() {
    let error = inputError { try records("a,b\n1,\"open\n2,3\n") }
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.message == "unterminated quoted cell: the file ends before its closing '\"'")
  }

  @Test func textAfterClosingQuote() {
    let error = inputError { try records("\"a\"b,c\n") }
    #expect(error?.line == 1)
    #expect(error?.column == 4)
    #expect(
      error?.message
        == "unexpected text after the closing '\"' of a quoted cell; expected the delimiter or the"
        + " end of the line")
  }
}
