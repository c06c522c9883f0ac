import NNDatasets
import NNProtocols
import Testing

/// Inputs that made the FANN reader (fuzzed by the `FuzzCSV` harness, Fuzz/) allocate without bound.
@Suite("FANN reader fuzz regressions")
struct FANNReaderFuzzRegressionTests {
  /// The header's sizes were trusted: `1000000000 1000000000 1` allocated a 10¹⁸-element matrix (a
  /// trap), `100000000 10 1` 8.8 GB, before the first sample was read.
  @Test(arguments: [
    ("1000000000 1000000000 1\n", 1_000_000_000, 1_000_000_000, 1),
    ("100000000 10 1\n0 1 2 3 4 5 6 7 8 9\n1\n", 100_000_000, 10, 1),
    ("9223372036854775807 1 1\n", Int.max, 1, 1),
    ("2 9223372036854775807 9223372036854775807\n", 2, Int.max, Int.max),
  ])
  func aHeaderPromisingMoreNumbersThanTheFileHoldsIsRefused(
    _ text: String, _ count: Int, _ inputs: Int, _ outputs: Int
  ) throws {
    let error = #expect(throws: InputError.self) {
      try FANNReader().read(bytes: Array(text.utf8), file: "huge.data")
    }
    #expect(error?.line == 1)
    #expect(error?.column == 1)
    #expect(
      error?.message
        == "the header promises \(count) samples of \(inputs) inputs and \(outputs) outputs, more"
        + " numbers than the file's \(text.utf8.count) bytes can hold")
  }

  @Test func aHeaderTheFileCanHoldStillGetsThePreciseMessage() throws {
    let error = #expect(throws: InputError.self) {
      try FANNReader().read(bytes: Array("3 1 1\n0\n1\n".utf8), file: "short.data")
    }
    #expect(
      error?.message.hasPrefix("the header (line 1) promises 3 samples, but the file") == true)
  }
}
