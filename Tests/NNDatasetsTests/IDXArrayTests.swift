import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("IDX files")
struct IDXArrayTests {
  /// Values every element type can hold exactly.
  static func sample(_ type: IDXArray.ElementType) -> [Double] {
    switch type {
    case .ubyte: [0, 1, 127, 128, 200, 255]
    case .sbyte: [-128, -1, 0, 1, 64, 127]
    case .short: [-32768, -300, 0, 1, 258, 32767]
    case .int: [-2_147_483_648, -70000, 0, 1, 66000, 2_147_483_647]
    case .float: [-1.5, -0.25, 0, 1e-3 as Float, 3.75, 1e20 as Float].map { Double(Float($0)) }
    case .double: [-1e300, -0.1, 0, 1e-300, 2.5, 0.3]
    }
  }

  @Test(arguments: IDXArray.ElementType.allCases)
  func roundTripOfEveryElementType(type: IDXArray.ElementType) throws {
    let values = Self.sample(type)
    let folder = try TemporaryFolder()
    let path = try folder.write(
      "array.idx", bytes: idxBytes(type, dimensions: [2, 3], values: values))
    let array = try IDXArray.read(path: path)
    #expect(array.elementType == type)
    #expect(array.dimensions == [2, 3])
    #expect(array.values.shape == [2, 3])
    #expect(array.values.scalars == values)
  }

  @Test func imagesAreFlattenedToRows() throws {
    let values = (0..<24).map(Double.init)
    let array = try IDXArray.parse(
      bytes: idxBytes(.ubyte, dimensions: [2, 3, 4], values: values), file: "images")
    #expect(array.values.shape == [2, 12])
    #expect(array.values.scalars == values)
  }

  @Test func wrongMagicNumber() {
    var bytes = idxBytes(.ubyte, dimensions: [1], values: [1])
    bytes[2] = 0x0A
    let error = inputError { try IDXArray.parse(bytes: bytes, file: "labels.idx") }
    #expect(error?.file == "labels.idx")
    #expect(
      error?.message
        == "wrong magic number 0x00000A01 at byte offset 0; expected 0x0000TTDD: two zero bytes, the"
        + " element type TT (08 ubyte, 09 sbyte, 0B short, 0C int, 0D float, 0E double) and the"
        + " number of dimensions DD ≥ 1")
    #expect(
      inputError { try IDXArray.parse(bytes: Array("hello".utf8), file: "x") }?.message
        .hasPrefix("wrong magic number 0x68656C6C at byte offset 0") == true)
  }

  @Test func truncatedFile() {
    let bytes = idxBytes(.short, dimensions: [10, 2], values: (0..<20).map(Double.init))
    let error = inputError {
      try IDXArray.parse(bytes: Array(bytes.dropLast(5)), file: "images.idx")
    }
    #expect(
      error?.message
        == "truncated IDX file: the header promises 10×2 short elements, 52 bytes in all, but the"
        + " file ends at byte offset 47 (5 bytes short)")
    #expect(
      inputError { try IDXArray.parse(bytes: [0, 0, 8, 3, 0, 0, 0, 1], file: "x") }?.message
        == "truncated IDX file: its 3 dimension sizes need bytes 4…15, but the file ends at byte"
        + " offset 8")
    #expect(
      inputError { try IDXArray.parse(bytes: [0, 0], file: "x") }?.message
        == "truncated IDX file: it has 2 bytes; expected at least the 4-byte magic number")
  }

  @Test func bytesAfterTheData() {
    let bytes = idxBytes(.ubyte, dimensions: [2], values: [1, 2]) + [9, 9, 9]
    #expect(
      inputError { try IDXArray.parse(bytes: bytes, file: "x") }?.message
        == "3 unexpected bytes after the data, from byte offset 10; expected the file to end there,"
        + " as its header says")
  }

  @Test func nonFiniteFloats() {
    let bytes = idxBytes(.float, dimensions: [3], values: [1, .nan, 2])
    #expect(
      inputError { try IDXArray.parse(bytes: bytes, file: "x") }?.message
        == "element 1 (at byte offset 12) is NaN or infinite; expected a finite number")
  }

  @Test func gzipIsRefusedWithTheCommandToDecompress() {
    let error = inputError {
      try IDXArray.parse(bytes: [0x1F, 0x8B, 8, 0, 0, 0], file: "train-images-idx3-ubyte.gz")
    }
    #expect(
      error?.hint
        == "decompress it first: gunzip train-images-idx3-ubyte.gz  (this writes"
        + " train-images-idx3-ubyte)")
  }

  @Test("a dimension of 0 is refused, naming the file and the byte offset")
  func zeroDimension() {
    #expect(
      inputError { try IDXArray.parse(bytes: [0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0, 28], file: "x") }?
        .description
        == "x: error: dimension 1 of 2 (at byte offset 4) is 0: the file holds no samples;"
        + " expected every dimension ≥ 1")
    #expect(
      inputError { try IDXArray.parse(bytes: [0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 0], file: "x") }?
        .message
        == "dimension 2 of 2 (at byte offset 8) is 0: the file holds no values per sample;"
        + " expected every dimension ≥ 1")
  }
}
