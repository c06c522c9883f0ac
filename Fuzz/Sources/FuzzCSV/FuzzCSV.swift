import CFuzzerDriver
import FuzzSupport
import NNDatasets

/// The text data readers: every input goes through the CSV reader in several settings (header
/// detected, declared or absent; one-hot, classification, regression; no targets; `;` delimiter) and
/// through the FANN reader.
let readers: [CSVReader] = [
  CSVReader(),
  CSVReader(header: .absent, task: .classification),
  CSVReader(header: .present, task: .regression),
  CSVReader(targets: []),
  CSVReader(header: .present, features: [.name("a"), .index(2)], targets: [.name("y")]),
  CSVReader(targets: [.index(2), .index(3)], task: .classification),
  CSVReader(delimiter: UInt8(ascii: ";"), task: .classification),
  CSVReader(delimiter: 0x09),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  for reader in readers {
    acceptInputErrors("CSVReader") {
      let dataset = try reader.read(bytes: bytes, file: "fuzz.csv")
      require(dataset.features.rows == dataset.targets.rows, "features and targets differ in rows")
      require(dataset.featureNames.count == dataset.inputSize, "one name per feature column")
      require(
        dataset.features.buffer.allSatisfy(\.isFinite), "a feature that is NaN or infinite")
      if let classes = dataset.classNames {
        for row in 0..<dataset.count {
          let label = dataset.targets[row, 0]
          require(
            label >= 0 && label < Double(classes.count) && label == label.rounded(),
            "class index \(label) outside 0..<\(classes.count)")
        }
      }
    }
  }
  acceptInputErrors("FANNReader") {
    let dataset = try FANNReader().read(bytes: bytes, file: "fuzz.data")
    require(dataset.features.rows == dataset.targets.rows, "features and targets differ in rows")
  }
  return 0
}

@_cdecl("FuzzCSV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  nnpipe_fuzz_main(argc, argv, fuzzCSV)
}
