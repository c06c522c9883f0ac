import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
  /// Reads CSV text given inline.
  func read(_ text: String, _ reader: CSVReader = CSVReader()) throws -> Dataset {
    try reader.read(bytes: Array(text.utf8), file: "test.csv")
  }

  @Test func iris() throws {
    let data = try CSVReader().read(path: "iris.csv", baseDirectory: dataFolder)
    #expect(data.name == "iris.csv")
    #expect(data.features.shape == [150, 4])
    #expect(data.targets.shape == [150, 1])
    #expect(data.featureNames == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
    #expect(data.targetNames == ["species"])
    #expect(data.classNames == ["setosa", "versicolor", "virginica"])
    #expect(classCounts(data) == [50, 50, 50])
    #expect((0..<4).map { data.features[0, $0] } == [5.1, 3.5, 1.4, 0.2])
    #expect(data.targets[0, 0] == 0)
    #expect((0..<4).map { data.features[149, $0] } == [5.9, 3.0, 5.1, 1.8])
    #expect(data.targets[149, 0] == 2)
  }

  @Test func digitsAsClassification() throws {
    let data = try CSVReader(task: .classification).read(path: dataFolder + "/digits.csv")
    #expect(data.features.shape == [1797, 64])
    #expect(data.classNames == (0...9).map(String.init))
    #expect(classCounts(data) == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    #expect((0..<8).map { data.features[0, $0] } == [0, 0, 5, 13, 9, 1, 0, 0])
    #expect(data.targets[1, 0] == 1)
    #expect(data.features.scalars.allSatisfy { $0 >= 0 && $0 <= 16 })
  }

  @Test func numericTargetsAreRegressionUnlessClassificationIsAsked() throws {
    let data = try CSVReader().read(path: dataFolder + "/digits.csv")
    #expect(!data.isClassification)
    #expect(data.targets[1, 0] == 1)
    #expect(data.targetNames == ["digit"])
  }

  @Test func headerIsDetected() throws {
    let withHeader = try read("a,b,y\n1,2,3\n4,5,6\n")
    #expect(withHeader.count == 2)
    #expect(withHeader.featureNames == ["a", "b"])
    let without = try read("1,2,3\n4,5,6\n")
    #expect(without.count == 2)
    #expect(without.featureNames == ["column1", "column2"])
    #expect(without.targetNames == ["column3"])
    // Text above text is a label, not a header: a single row of labels and numbers is data.
    let labelled = try read("1,2,cat\n3,4,dog\n")
    #expect(labelled.count == 2)
    #expect(labelled.classNames == ["cat", "dog"])
  }

  @Test func headerCanBeDeclared() throws {
    // Numbers in the first line are taken as names when the header is declared.
    let declared = try read("10,20,30\n1,2,3\n", CSVReader(header: .present))
    #expect(declared.count == 1)
    #expect(declared.featureNames == ["10", "20"])
    let absent = try read("1,2,3\n", CSVReader(header: .absent))
    #expect(absent.count == 1)
  }

  @Test func quotedFieldsFollowRFC4180() throws {
    let text = """
      "x, the first","y"
      "1.5",\"big, ""red"" one\"
      2,"small
      blue"

      """
    let data = try read(text)
    #expect(data.featureNames == ["x, the first"])
    #expect(column(data.features, 0) == [1.5, 2])
    #expect(data.classNames == ["big, \"red\" one", "small\nblue"])
    #expect(column(data.targets, 0) == [0, 1])
  }

  @Test func lineEndingsByteOrderMarkAndBlankLines() throws {
    let plain = try read("a,b\n1,2\n3,4")
    let crlf = try read("a,b\r\n1,2\r\n3,4\r\n")
    let bom = try CSVReader().read(
      bytes: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n\n3,4\n\n".utf8), file: "b.csv")
    for data in [crlf, bom] {
      #expect(data.featureNames == plain.featureNames)
      #expect(data.features.elementsEqual(plain.features))
      #expect(data.targets.elementsEqual(plain.targets))
    }
    #expect(plain.features.scalars == [1, 3])
    #expect(plain.targets.scalars == [2, 4])
  }

  @Test func spacesAroundCellsAreIgnored() throws {
    let data = try read("a , b\n 1 , yes \n2,no\n")
    #expect(data.featureNames == ["a"])
    #expect(data.targetNames == ["b"])
    #expect(data.classNames == ["no", "yes"])
  }

  @Test func columnsChosenByNameIndexAndRange() throws {
    let text = "a,b,c,d,e\n1,2,3,4,5\n6,7,8,9,10\n"
    let byName = try read(
      text, CSVReader(features: [.name("d"), .name("a")], targets: [.name("c")]))
    #expect(byName.featureNames == ["d", "a"])
    #expect(byName.features.scalars == [4, 1, 9, 6])
    #expect(byName.targets.scalars == [3, 8])
    let byIndex = try read(
      text, CSVReader(features: try ColumnSelector.parseList("2-3,5"), targets: [.index(1)]))
    #expect(byIndex.featureNames == ["b", "c", "e"])
    #expect(byIndex.features.scalars == [2, 3, 5, 7, 8, 10])
    #expect(byIndex.targets.scalars == [1, 6])
  }

  @Test func severalRegressionTargets() throws {
    let data = try read(
      "x,y1,y2\n1,2,3\n4,5,6\n", CSVReader(targets: try ColumnSelector.parseList("y1,y2")))
    #expect(data.featureNames == ["x"])
    #expect(data.targetNames == ["y1", "y2"])
    #expect(data.targets.shape == [2, 2])
    #expect(data.targets.scalars == [2, 3, 5, 6])
    #expect(!data.isClassification)
    #expect(data.outputSize == 2)
  }

  @Test func oneHotTargetsBecomeClassIndices() throws {
    let data = try read(
      "x,cat,dog,emu\n1,0,1,0\n2,1,0,0\n3,0,0,1\n",
      CSVReader(targets: try ColumnSelector.parseList("2-4"), task: .classification))
    #expect(data.classNames == ["cat", "dog", "emu"])
    #expect(data.targets.scalars == [1, 0, 2])
    #expect(data.targets.cols == 1)
  }

  @Test func unlabelledDataHasNoTargets() throws {
    let data = try read("a,b\n1,2\n3,4\n", CSVReader(targets: []))
    #expect(data.featureNames == ["a", "b"])
    #expect(data.targets.shape == [2, 0])
  }

  @Test func classNamesAreSorted() throws {
    #expect(try read("x,y\n1,b\n2,a\n3,c\n4,a\n").classNames == ["a", "b", "c"])
    #expect(try read("x,y\n1,b\n2,a\n3,c\n4,a\n").targets.scalars == [1, 0, 2, 0])
    // Numeric labels sort by value, and 1 and 1.0 are one class.
    let numeric = try read("x,y\n1,10\n2,9\n3,1.0\n4,1\n", CSVReader(task: .classification))
    #expect(numeric.classNames == ["1", "9", "10"])
    #expect(numeric.targets.scalars == [2, 1, 0, 0])
  }

  @Test func otherDelimiters() throws {
    let semicolon = CSVReader(delimiter: try CSVReader.delimiter(named: ";"))
    let data = try read("a;b\n1.5;2\n", semicolon)
    #expect(data.featureNames == ["a"])
    #expect(data.features.scalars == [1.5])
    // A decimal comma is not a number: the message shows the cell.
    #expect(
      inputError { try read("a;b\n1,5;2\n", semicolon) }?.message
        == "'1,5' in column 1 ('a') is not a number; expected a number (features are numbers)")
    let tab = try read(
      "a\tb\n1.5\t2\n", CSVReader(delimiter: try CSVReader.delimiter(named: "tab")))
    #expect(tab.features.scalars == [1.5])
    #expect(
      inputError { try CSVReader.delimiter(named: "ab") }?.message
        == "delimiter 'ab' is not one ASCII character; expected e.g. ',' or one of: comma,"
        + " semicolon, tab, space, pipe")
  }

  @Test func emptyFile() {
    for text in ["", "\n\n", "\u{FEFF}", "  \r\n"] {
      let error = inputError { try read(text) }
      #expect(error?.file == "test.csv")
      #expect(error?.line == nil)
      #expect(error?.message == "the file is empty; expected lines of cells separated by ','")
    }
  }

  @Test func headerWithNoRows() {
    let error = inputError { try read("a,b,c\n") }
    #expect(
      error?.description
        == "test.csv:1: error: line 1 is a header, but no data rows follow it; expected at least one"
        + " row\nnote: if that line is data, say header=false")
  }

  @Test func missingFileNamesThePathAsWritten() throws {
    let folder = try TemporaryFolder()
    let error = inputError { try CSVReader().read(path: "nope.csv", baseDirectory: folder.path) }
    #expect(error?.file == "nope.csv")
    #expect(error?.message == "no such file")
    #expect(
      error?.hint == "relative paths start from the model file's folder: \(folder.path)/nope.csv")
  }

  @Test func gzipFileIsRefused() throws {
    let folder = try TemporaryFolder()
    try folder.write("iris.csv.gz", bytes: [0x1F, 0x8B, 0x08, 0x00, 1, 2, 3])
    let error = inputError { try CSVReader().read(path: "iris.csv.gz", baseDirectory: folder.path) }
    #expect(
      error?.description
        == "iris.csv.gz: error: the file is gzip-compressed (it starts with the bytes 1f 8b); nnpipe"
        + " reads uncompressed files\nnote: decompress it first: gunzip iris.csv.gz  (this writes"
        + " iris.csv)")
  }

  @Test("a name or label that is not UTF-8 is refused at the byte's line and column")
  func nonUTF8Text() throws {
    let label = inputError {
      try CSVReader().read(bytes: Array("x,y\n1,a\n2,b".utf8) + [0xFF, 0x0A], file: "d.csv")
    }
    #expect(
      label?.description
        == "d.csv:3:4: error: the byte 0xFF is not UTF-8; names and class labels must be UTF-8"
        + " text\n    2,b\u{FFFD}\n       ^\nnote: convert the file to UTF-8, e.g. iconv -f latin1 -t"
        + " utf-8")
    // In a quoted header cell that spans lines.
    let header = inputError {
      try CSVReader(header: .present).read(
        bytes: Array("x,\"a\nb".utf8) + [0xE9] + Array("\"\n1,2\n".utf8), file: "d.csv")
    }
    #expect(header?.line == 2)
    #expect(header?.column == 2)
    // Valid UTF-8 labels are read as they are.
    #expect(try read("x,y\n1,\u{E9}t\u{E9}\n2,b\n").classNames == ["b", "\u{E9}t\u{E9}"])
  }
}
