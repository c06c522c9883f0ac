import CFuzzerDriver
import FuzzSupport
import NNDatasets

/// The length of the IDX file at the start of `bytes` according to its own header, or `nil` if the
/// header is not one (then the whole input is one file).
///
/// An input is an images file followed by a labels file: a valid pair simply concatenated is a valid
/// input, and the fuzzer mutates both files and the boundary between them.
func firstFileLength(_ bytes: [UInt8]) -> Int? {
  let sizes: [UInt8: Int] = [0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8]
  guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, let size = sizes[bytes[2]], bytes[3] >= 1
  else { return nil }
  let rank = Int(bytes[3])
  var length = 4 + 4 * rank
  guard bytes.count >= length else { return nil }
  var elements = 1
  for k in 0..<rank {
    let dimension = bytes[(4 + 4 * k)..<(8 + 4 * k)].reduce(0) { $0 << 8 | Int($1) }
    let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
    guard !overflow, product <= bytes.count else { return nil }
    elements = product
  }
  length += elements * size
  return length < bytes.count ? length : nil
}

let readers: [IDXReader] = [
  IDXReader(), IDXReader(normalize: true), IDXReader(classes: 10),
  IDXReader(normalize: true, classes: 3),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // The parser alone, on the whole input.
  acceptInputErrors("IDXArray.parse") {
    let array = try IDXArray.parse(bytes: bytes, file: "fuzz.idx")
    require(
      array.values.count == array.dimensions.reduce(1, *), "values do not match the dimensions")
  }
  // The reader, on an images file and (when the input holds two) a labels file.
  let split = firstFileLength(bytes) ?? bytes.count
  let images = scratchFile("a", bytes[..<split])
  let labels = split < bytes.count ? scratchFile("b", bytes[split...]) : nil
  for reader in readers {
    acceptInputErrors("IDXReader") {
      let dataset = try reader.read(images: images, labels: labels)
      require(dataset.targets.rows == dataset.features.rows, "one label per image")
    }
  }
  return 0
}

@_cdecl("FuzzIDX_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  nnpipe_fuzz_main(argc, argv, fuzzIDX)
}
