import NNDatasets
import NNProtocols
import Testing

@Suite("CSV cell errors")
struct CSVTableTests {
  func error(_ text: String, _ reader: CSVReader = CSVReader()) -> InputError? {
    inputError { try reader.read(bytes: Array(text.utf8), file: "data.csv") }
  }

  @Test func raggedRowWithTooFewCells() {
    let error = error("a,b,c\n1,2,3\n4,5\n")
    #expect(
      error?.description
        == "data.csv:3:4: error: row has 2 cells; expected 3, as the header (line 1) has\n    4,5\n"
        + "       ^\nnote: a cell holding the delimiter must be quoted: \"a,b\"")
  }

  @Test func raggedRowWithTooManyCells() {
    let error = error("1,2\n3,4,5\n")
    #expect(error?.line == 2)
    #expect(error?.column == 5)
    #expect(error?.message == "row has 3 cells; expected 2, as line 1 has")
  }

  @Test func nonNumericFeatureCell() {
    let error = error("a,b,y\n1,2,x\n1,two,y\n")
    #expect(
      error?.description
        == "data.csv:3:3: error: 'two' in column 2 ('b') is not a number; expected a number"
        + " (features are numbers)\n    1,two,y\n      ^")
  }

  @Test func nonNumericRegressionTarget() {
    let error = error("a,y\n1,2\n3,abc\n", CSVReader(task: .regression))
    #expect(error?.line == 3)
    #expect(error?.column == 3)
    #expect(
      error?.message
        == "'abc' in column 2 ('y') is not a number; expected a number (task=regression)")
    #expect(error?.hint == "for class labels, use task=classification")
  }

  @Test func textInOneOfSeveralTargets() {
    let error = error("a,y,z\n1,2,3\n3,4,x\n", CSVReader(targets: [.index(2), .index(3)]))
    #expect(error?.line == 3)
    #expect(
      error?.message
        == "'x' in column 3 ('z') is not a number; expected a number (several target columns are"
        + " numeric regression targets, or one-hot 0/1 columns with task=classification)")
  }

  @Test func emptyCell() {
    let error = error("a,b,y\n1,,3\n")
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.message == "empty cell in column 2 ('b'); expected a number")
    #expect(error?.hint == "fill in or remove rows with missing values before training")
  }

  @Test func emptyLabelCell() {
    #expect(
      error("a,y\n1,cat\n2,\n")?.message
        == "empty cell in column 2 ('y'); expected a class label or a number")
  }

  @Test(arguments: ["NaN", "nan", "inf", "-Infinity", "1e999"])
  func notFinite(cell: String) {
    let error = error("a,y\n1,2\n\(cell),3\n")
    #expect(error?.line == 3)
    #expect(error?.column == 1)
    #expect(
      error?.message == "'\(cell)' in column 1 ('a') is NaN or infinite; expected a finite number")
  }

  @Test func lineCountsLineBreaksInsideQuotes() {
    // The quoted label spans lines 2–3, so the bad cell is on line 4.
    let error = error("a,b,y\n1,2,\"two\nlines\"\n3,x,z\n")
    #expect(error?.line == 4)
    #expect(error?.column == 3)
    #expect(error?.sourceLine == "3,x,z")
  }

  @Test func columnCountsCharactersNotBytes() {
    // "été" is 3 characters (5 bytes): the bad cell starts at character column 5.
    let error = error(
      "y,a\nchat,1\nété,x\n", CSVReader(features: [.index(2)], targets: [.index(1)]))
    #expect(error?.line == 3)
    #expect(error?.column == 5)
  }

  @Test func oneHotCellsMustBeZeroOrOne() {
    let reader = CSVReader(targets: [.index(2), .index(3)], task: .classification)
    #expect(
      error("x,a,b\n1,0,1\n2,0.5,0.5\n", reader)?.message
        == "one-hot target column 2 ('a') holds 0.5; expected 0 or 1")
    let twoOnes = error("x,a,b\n1,0,1\n2,1,1\n", reader)
    #expect(twoOnes?.line == 3)
    #expect(
      twoOnes?.message
        == "the one-hot target columns of this row hold 2 ones; expected exactly one 1 (the"
        + " sample's class)")
  }

  @Test func unusedColumnsMayHoldAnything() throws {
    let data = try CSVReader(features: [.index(1)], targets: [.index(3)])
      .read(bytes: Array("a,note,y\n1,,2\n3,n/a,4\n".utf8), file: "data.csv")
    #expect(data.features.scalars == [1, 3])
    #expect(data.targets.scalars == [2, 4])
  }
}
