import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

/// Inputs the `FuzzIDX` harness (Fuzz/) found to hang or crash the IDX readers, kept as tests.
@Suite("IDX reader fuzz regressions")
struct IDXReaderFuzzRegressionTests {
  /// Found by libFuzzer as a 5-second timeout: a labels file holding the label 16 776 960 made the
  /// reader (without `classes=`) build 16 776 961 class names; a larger label asked for billions.
  /// The input is an images file (float, [2, 3]) followed by a labels file (int, [2]).
  @Test func aHugeLabelIsRefusedBeforeMakingThatManyClasses() throws {
    let images: [UInt8] = [
      0x00, 0x00, 0x0D, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x52, 0x61, 0x6E,
      0x67, 0xBF, 0x80, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x40, 0x80,
      0x00, 0x00, 0x40, 0xA0, 0x00, 0x00,
    ]
    let labels: [UInt8] = [
      0x00, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x80,
      0x00,
    ]
    let folder = try TemporaryFolder()
    try folder.write("images.idx", bytes: images)
    try folder.write("labels.idx", bytes: labels)
    let error = #expect(throws: InputError.self) {
      try IDXReader().read(images: "images.idx", labels: "labels.idx", baseDirectory: folder.path)
    }
    #expect(error?.file == "labels.idx")
    #expect(
      error?.message
        == "label 0 (at byte offset 8) is 16776960; without classes=N, labels must be below 65536")
    #expect(error?.hint == "if the data set really has more classes, give their number: classes=N")

    // With the number of classes given, the same label is out of range, as before.
    let bounded = #expect(throws: InputError.self) {
      try IDXReader(classes: 10).read(
        images: "images.idx", labels: "labels.idx", baseDirectory: folder.path)
    }
    #expect(
      bounded?.message == "label 0 (at byte offset 8) is 16776960; expected a class index 0…9")
  }

  @Test func theLargestInferredClassCountIsAccepted() throws {
    let images: [UInt8] = [0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07]
    let labels: [UInt8] = [0x00, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF]
    let folder = try TemporaryFolder()
    try folder.write("images.idx", bytes: images)
    try folder.write("labels.idx", bytes: labels)
    let data = try IDXReader().read(
      images: "images.idx", labels: "labels.idx", baseDirectory: folder.path)
    #expect(data.classNames?.count == IDXReader.maximumInferredClasses)
    #expect(data.targets[0, 0] == 65535)
  }

  /// Found by reading the code while writing the harness: dimensions whose product is 2⁶⁰ − 1 passed
  /// the element-count check, and the file size `header + 8 · elements` overflowed (a trap).
  @Test func dimensionsWhoseByteSizeOverflowsAreRefused() throws {
    // double, [1 073 741 823, 1 073 741 825]: (2³⁰ − 1)(2³⁰ + 1) = 2⁶⁰ − 1 elements.
    let header: [UInt8] = [0x00, 0x00, 0x0E, 0x02, 0x3F, 0xFF, 0xFF, 0xFF, 0x40, 0x00, 0x00, 0x01]
    let error = #expect(throws: InputError.self) {
      try IDXArray.parse(bytes: header, file: "huge.idx")
    }
    #expect(
      error?.message
        == "the dimensions [1073741823, 1073741825] at byte offset 4 describe more elements than can exist"
    )
  }
}
