import NNDatasets
import NNProtocols
import Testing

@Suite("CSV column layout errors")
struct CSVLayoutTests {
  let iris = "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n"

  func error(_ reader: CSVReader, _ text: String? = nil) -> InputError? {
    inputError { try reader.read(bytes: Array((text ?? iris).utf8), file: "iris.csv") }
  }

  @Test func unknownColumnSuggestsTheClosestName() {
    let error = error(CSVReader(features: [.name("sepal_lenght")]))
    #expect(
      error?.description
        == "iris.csv:1: error: features: unknown column 'sepal_lenght'; did you mean 'sepal_length'?"
    )
  }

  @Test func unknownColumnWithNothingCloseListsTheColumns() {
    #expect(
      error(CSVReader(targets: [.name("label")]))?.message
        == "target: unknown column 'label'; the columns are: sepal_length, sepal_width,"
        + " petal_length, petal_width, species")
  }

  @Test func targetThatIsAlsoAFeature() {
    let error = error(CSVReader(features: [.name("sepal_length"), .name("species")]))
    #expect(error?.line == 1)
    #expect(error?.message == "column 5 ('species') is both a target and a feature")
    #expect(error?.hint == "leave it out of features=…, or choose another target")
  }

  @Test func positionOutOfRange() {
    #expect(
      error(CSVReader(targets: [.index(6)]))?.message
        == "target: column 6 does not exist; the file has 5 columns")
  }

  @Test("a range past the last column is refused before it is listed")
  func rangeOutOfRange() {
    #expect(
      error(CSVReader(features: [.range(1...100_000_000)]))?.message
        == "features: the column range 1-100000000 goes past the last column; the file has 5"
        + " columns")
    #expect(
      error(CSVReader(features: [.range(7...9)]))?.message
        == "features: the column range 7-9 goes past the last column; the file has 5 columns")
    #expect(
      error(CSVReader(features: [.range(2...3), .index(3)]))?.message
        == "features: column 3 ('petal_length') is chosen twice")
  }

  @Test func namesNeedAHeader() {
    let error = error(CSVReader(features: [.name("a")]), "1,2,3\n")
    #expect(error?.line == nil)
    #expect(
      error?.message == "features: the file has no header line, so there is no column named 'a'")
    #expect(error?.hint == "choose columns by 1-based position, e.g. features=1")
  }

  @Test func duplicateHeaderNameIsAmbiguous() {
    #expect(
      error(CSVReader(features: [.name("a")]), "a,a,y\n1,2,3\n")?.message
        == "features: the header names 2 columns 'a' (columns 1, 2)")
  }

  @Test func columnChosenTwice() {
    #expect(
      error(CSVReader(features: [.index(1), .name("sepal_length")]))?.message
        == "features: column 1 ('sepal_length') is chosen twice")
  }

  @Test func noFeatureColumnLeft() {
    #expect(
      error(CSVReader(), "y\n1\n")?.message
        == "no feature columns: the file has 1 column and the target takes it")
  }
}
