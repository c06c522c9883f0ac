import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("FANN reader")
struct FANNReaderTests {
  func read(_ text: String) throws -> Dataset {
    try FANNReader().read(bytes: Array(text.utf8), file: "xor.data")
  }

  @Test func roundTripOfAFileWrittenLikeFANN() throws {
    // Write a data set as fann_save_train does, then read it back.
    let features: [[Double]] = [[-1, -1], [-1, 1], [1, -1], [1, 1.5e-3]]
    let targets: [[Double]] = [[-1, 0.25], [1, 0], [1, 2], [-1, -3]]
    var text = "4 2 2\n"
    for (x, y) in zip(features, targets) {
      text += x.map { String($0) }.joined(separator: " ") + "\n"
      text += y.map { String($0) }.joined(separator: " ") + "\n"
    }
    let folder = try TemporaryFolder()
    try folder.write("xor.data", text)
    let data = try FANNReader().read(path: "xor.data", baseDirectory: folder.path)
    #expect(data.name == "xor.data")
    #expect(data.features.elementsEqual(Matrix(features)))
    #expect(data.targets.elementsEqual(Matrix(targets)))
    #expect(!data.isClassification)
  }

  @Test func tabsCRLFAndBlankLinesAreAccepted() throws {
    let data = try read("2\t1 1\r\n\r\n0.5\r\n1\r\n  -0.5 \r\n\r\n0\r\n")
    #expect(data.features.scalars == [0.5, -0.5])
    #expect(data.targets.scalars == [1, 0])
  }

  @Test func headerCountLargerThanTheSamples() {
    let error = inputError { try read("3 2 1\n0 0\n0\n0 1\n1\n") }
    #expect(error?.file == "xor.data")
    #expect(error?.line == 6)
    #expect(
      error?.message
        == "the header (line 1) promises 3 samples, but the file ends at sample 3's inputs line;"
        + " expected an input line and an output line for each sample")
    #expect(error?.hint == "correct the sample count in the header to 2")
  }

  @Test func headerCountSmallerThanTheSamples() {
    let error = inputError { try read("1 2 1\n0 0\n0\n0 1\n1\n") }
    #expect(error?.line == 4)
    #expect(
      error?.message
        == "the header (line 1) promises 1 samples, but more lines follow them; expected the end"
        + " of the file")
  }

  @Test func lineWithTheWrongNumberOfValues() {
    let error = inputError { try read("2 2 1\n0 0\n0\n0 1 1\n1\n") }
    #expect(error?.line == 4)
    #expect(error?.column == 1)
    #expect(
      error?.message == "sample 2 has 3 inputs; expected 2, as the header (line 1) says")
  }

  @Test func badHeaderAndCells() {
    #expect(
      inputError { try read("4 2\n") }?.message
        == "the header has 2 values; expected 3: the number of samples, of inputs and of outputs")
    #expect(
      inputError { try read("4 x 1\n") }?.message
        == "'x' is not a valid number of inputs; expected a whole number ≥ 1")
    let cell = inputError { try read("1 2 1\n0 abc\n1\n") }
    #expect(cell?.line == 2)
    #expect(cell?.column == 3)
    #expect(cell?.message == "'abc' is not a number; expected a number")
    #expect(
      inputError { try read("1 2 1\n0 nan\n1\n") }?.message
        == "'nan' is NaN or infinite; expected a finite number")
    #expect(
      inputError { try read("") }?.message
        == "the file is empty; expected a header line 'count inputs outputs'")
  }
}
