import NNDatasets
import NNProtocols
import Testing

/// Inputs the `FuzzCSV` harness (Fuzz/) found to crash the CSV reader, kept as tests.
@Suite("CSV reader fuzz regressions")
struct CSVReaderFuzzRegressionTests {
  /// Found by libFuzzer with AddressSanitizer: a delimiter as the very last byte of the file made the
  /// scanner read one byte past the end of the buffer (heap-buffer-overflow in
  /// `CSVScanner.nextRecord`). After the fix, the cell after that delimiter is an empty last cell.
  @Test func delimiterAsTheLastByteOfTheFile() throws {
    let crash: [UInt8] = [
      0x61, 0x2C, 0x62, 0x2C, 0x79, 0x0A, 0x31, 0x2C, 0x32, 0x2C, 0x78, 0x0A, 0x33, 0x2C, 0x34,
      0x2C, 0x34, 0x2C,
    ]  // "a,b,y\n1,2,x\n3,4,4,"
    let error = #expect(throws: InputError.self) {
      try CSVReader().read(bytes: crash, file: "crash.csv")
    }
    #expect(
      error?.description == """
        crash.csv:3:7: error: row has 4 cells; expected 3, as the header (line 1) has
            3,4,4,
                  ^
        """)
  }

  @Test func theEmptyLastCellAfterAFinalDelimiterIsReportedAsEmpty() throws {
    let error = #expect(throws: InputError.self) {
      try CSVReader().read(bytes: Array("a,b\n1,2\n3,".utf8), file: "end.csv")
    }
    #expect(error?.line == 3)
    #expect(error?.column == 3)
    #expect(error?.message == "empty cell in column 2 ('b'); expected a class label or a number")
  }

  @Test func aFinalDelimiterEndsTheRowWithAnEmptyCellThatAnUnusedColumnMayHold() throws {
    let reader = CSVReader(
      header: .present, features: [.name("x")], targets: [.index(1)], task: .classification)
    let data = try reader.read(bytes: Array("y,x,z\n\"a\",1.5,".utf8), file: "quoted.csv")
    #expect(data.classNames == ["a"])
    #expect(data.features.scalars == [1.5])
  }
}
