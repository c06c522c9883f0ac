import Foundation
import Testing

// Documentation/Reliability.md lists what these tests prove.

// MARK: - Files the tests share

/// The small model every case starts from, and checkpoints made by running it (and two other
/// models) once: the "previous checkpoint" a failing command must leave untouched, a checkpoint of
/// another shape, one with a layer fewer.
struct ReliabilityFixture: Sendable {
  /// File name → bytes.
  var files: [String: [UInt8]]

  static let model = """
    data sine count=20
    layer dense units=4 activation=tanh
    layer dense units=1
    train epochs=2 batch=10 seed=1

    """

  static let made = Result { try make() }

  static func make() throws -> ReliabilityFixture {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    func train(_ text: String, _ name: String) throws -> [UInt8] {
      try write(text, to: "\(name).txt", in: folder)
      let result = try runProcess(["run", "\(name).txt", "--quiet"], in: folder)
      guard result.status == 0 else { throw FixtureError(message: result.stderr) }
      return Array(try Data(contentsOf: folder.appendingPathComponent("\(name).safetensors")))
    }
    return ReliabilityFixture(files: [
      "m.txt": Array(model.utf8),
      "prev.safetensors": try train(model, "m"),
      "other.safetensors": try train(
        model.replacingOccurrences(of: "units=4", with: "units=5"), "other"),
      "short.safetensors": try train("data sine count=20\nlayer dense units=1\n", "short"),
      "plain.safetensors": Array(
        try Data(
          contentsOf: repositoryRoot.appendingPathComponent("Examples/conjunction.safetensors"))),
      "in.csv": Array("x1\n0.5\n-1\n".utf8),
    ])
  }

  struct FixtureError: Error { var message: String }

  /// The header length of the fixture safetensors file `name` (its first 8 bytes, little-endian).
  func headerLength(_ name: String) -> Int {
    Int(bytes(name).prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.1) << (8 * $1.0) })
  }

  /// The bytes of the fixture file `name`.
  func bytes(_ name: String) -> [UInt8] {
    guard let bytes = files[name] else { preconditionFailure("no fixture file \(name)") }
    return bytes
  }
}

/// The header of a safetensors file as a JSON object, and its data buffer.
func safetensorsParts(_ bytes: [UInt8]) throws -> (header: [String: Any], data: [UInt8]) {
  let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.1) << (8 * $1.0) })
  let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)]))
  return (header as? [String: Any] ?? [:], Array(bytes[(8 + length)...]))
}

/// A safetensors file of `header` (keys sorted) and `data`.
func safetensorsBytes(header: [String: Any], data: [UInt8]) throws -> [UInt8] {
  var json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
  while (8 + json.count) % 8 != 0 { json.append(0x20) }
  let length = UInt64(json.count)
  return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + json + data
}

/// Whether `bytes` are a complete safetensors file: a header that parses and a data buffer exactly as
/// long as the furthest tensor's end.
func isCompleteSafetensors(_ bytes: [UInt8]) -> Bool {
  guard bytes.count >= 8, let (header, data) = try? safetensorsParts(bytes) else { return false }
  let ends = header.compactMap { key, value -> Int? in
    guard key != "__metadata__", let entry = value as? [String: Any],
      let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
    else { return nil }
    return offsets[1]
  }
  return !ends.isEmpty && ends.max() == data.count
}

/// Every file under `folder` (by relative path) and its bytes; a folder is listed with no bytes.
func snapshot(_ folder: URL) throws -> [String: [UInt8]] {
  var files: [String: [UInt8]] = [:]
  for case let name as String in FileManager.default.enumerator(atPath: folder.path) ?? .init() {
    var isFolder: ObjCBool = false
    let path = folder.appendingPathComponent(name).path
    _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    // An empty file is not read: Foundation (Swift 6.3.1) leaks a 4 KiB buffer reading one, which
    // `swift test --sanitize=address` reports as a leak.
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
    files[name] =
      isFolder.boolValue || size?.intValue == 0
      ? [] : Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }
  return files
}

// MARK: - Malformed inputs through the binary

/// The content of one file of a case.
enum CaseFile: Sendable {
  case text(String)
  case bytes([UInt8])
  /// A fixture file, copied.
  case fixture(String)
  /// A fixture checkpoint with its header edited.
  case edited(String, @Sendable (inout [String: Any]) -> Void)
  /// A fixture file cut to its first `count` bytes.
  case truncated(String, Int)
  /// A fixture safetensors file cut to its header and the first `keep` bytes of its data.
  case truncatedData(String, keep: Int)
  /// A fixture checkpoint with the first element of `tensor` (F32) set to NaN.
  case nan(String, tensor: String)
}

/// One malformed input: the files it adds to a folder holding `m.txt`, `prev.safetensors` (a
/// previous checkpoint) and `in.csv`, the command line, and exactly what nnpipe answers.
struct MalformedInput: CustomTestStringConvertible, Sendable {
  var name: String
  var files: [String: CaseFile]
  var arguments: [String]
  var status: Int32
  /// The expected standard error; `FOLDER` stands for the case's folder, `HEADER` for the header
  /// length of the previous checkpoint (it varies with the metadata, e.g. the loss history),
  /// `MEMORY` for this machine's memory as nnpipe prints it (e.g. `23.4 GiB`).
  var message: String

  init(
    _ name: String, _ files: [String: CaseFile] = [:], _ arguments: [String], status: Int32 = 64,
    _ message: String
  ) {
    self.name = name
    self.files = files
    self.arguments = arguments
    self.status = status
    self.message = message
  }

  var testDescription: String { name }
}

/// A model reading `data` (csv unless another reader is named) into the fixture's network.
func dataModel(_ data: String) -> String {
  "data \(data)\nlayer dense units=4 activation=tanh\nlayer dense units=1\ntrain epochs=2 batch=10\n"
}

/// The CSV seen by `nnpipe run` through `d.txt`.
func csvModel(_ options: String = "") -> CaseFile {
  .text(dataModel("csv path=data.csv" + options))
}

struct ReliabilityTests {
  static let run = ["run", "d.txt", "--output", "prev.safetensors", "--quiet"]

  static let cases: [MalformedInput] = dataFileCases + checkpointCases + argumentCases

  // MARK: Data files

  static let dataFileCases: [MalformedInput] = [
    MalformedInput(
      "csv-ragged-row", ["d.txt": csvModel(), "data.csv": .text("x,y\n1,2\n3\n5,6\n")], run,
      """
      FOLDER/data.csv:3:2: error: row has 1 cell; expected 2, as the header (line 1) has
          3
           ^
      note: a cell holding the delimiter must be quoted: "a,b"
      """),
    MalformedInput(
      "csv-non-numeric-cell", ["d.txt": csvModel(), "data.csv": .text("x,y\n1,2\nabc,4\n")], run,
      """
      FOLDER/data.csv:3:1: error: 'abc' in column 1 ('x') is not a number; expected a number (features are numbers)
          abc,4
          ^
      """),
    MalformedInput(
      "csv-nan", ["d.txt": csvModel(), "data.csv": .text("x,y\n1,2\nNaN,4\n")], run,
      """
      FOLDER/data.csv:3:1: error: 'NaN' in column 1 ('x') is NaN or infinite; expected a finite number
          NaN,4
          ^
      note: fill in or remove rows with missing values before training
      """),
    MalformedInput(
      "csv-empty-cell", ["d.txt": csvModel(), "data.csv": .text("x,y\n1,2\n,4\n")], run,
      """
      FOLDER/data.csv:3:1: error: empty cell in column 1 ('x'); expected a number
          ,4
          ^
      note: fill in or remove rows with missing values before training
      """),
    MalformedInput(
      "csv-empty-file", ["d.txt": csvModel(), "data.csv": .text("")], run,
      """
      FOLDER/data.csv: error: the file is empty; expected lines of cells separated by ','
      """),
    MalformedInput(
      "csv-header-only", ["d.txt": csvModel(), "data.csv": .text("x,y\n")], run,
      """
      FOLDER/data.csv:1: error: line 1 is a header, but no data rows follow it; expected at least one row
      note: if that line is data, say header=false
      """),
    MalformedInput(
      "csv-unknown-feature-column",
      ["d.txt": csvModel(" features=z"), "data.csv": .text("x,y\n1,2\n")], run,
      """
      FOLDER/data.csv:1: error: features: unknown column 'z'; did you mean 'x'?
      """),
    MalformedInput(
      "csv-unterminated-quote", ["d.txt": csvModel(), "data.csv": .text("x,y\n1,2\n\"3,4\n")],
      run,
      """
      FOLDER/data.csv:3:1: error: unterminated quoted cell: the file ends before its closing '"'
          "3,4
          ^
      note: a '"' inside a quoted cell is written twice: ""
      """),
    MalformedInput(
      "csv-final-delimiter", ["d.txt": csvModel(), "data.csv": .text("x,y\n1,2\n3,")], run,
      """
      FOLDER/data.csv:3:3: error: empty cell in column 2 ('y'); expected a class label or a number
          3,
            ^
      note: fill in or remove rows with missing values before training
      """),
    MalformedInput(
      "csv-gzip",
      [
        "d.txt": .text(dataModel("csv path=data.csv.gz")),
        "data.csv.gz": .bytes([0x1F, 0x8B, 8, 0]),
      ],
      run,
      """
      FOLDER/data.csv.gz: error: the file is gzip-compressed (it starts with the bytes 1f 8b); nnpipe reads uncompressed files
      note: decompress it first: gunzip FOLDER/data.csv.gz  (this writes FOLDER/data.csv)
      """),
    MalformedInput(
      "idx-wrong-magic",
      [
        "d.txt": .text(dataModel("idx images=x.idx labels=y.idx")),
        "x.idx": .bytes([0, 0, 8, 0, 1, 2, 3]), "y.idx": .bytes([0, 0, 8, 1, 0, 0, 0, 1, 0]),
      ], run,
      """
      FOLDER/x.idx: error: wrong magic number 0x00000800 at byte offset 0; expected 0x0000TTDD: two zero bytes, the element type TT (08 ubyte, 09 sbyte, 0B short, 0C int, 0D float, 0E double) and the number of dimensions DD ≥ 1
      note: is this an IDX file (MNIST's format)?
      """),
    MalformedInput(
      "idx-truncated",
      [
        "d.txt": .text(dataModel("idx images=x.idx labels=y.idx")),
        "x.idx": .bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]),
        "y.idx": .bytes([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]),
      ], run,
      """
      FOLDER/x.idx: error: truncated IDX file: the header promises 2×2 ubyte elements, 16 bytes in all, but the file ends at byte offset 15 (1 bytes short)
      note: download the file again; an interrupted download leaves it truncated
      """),
    MalformedInput(
      "idx-label-count",
      [
        "d.txt": .text(dataModel("idx images=x.idx labels=y.idx")),
        "x.idx": .bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 1, 2]),
        "y.idx": .bytes([0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 1]),
      ], run,
      """
      FOLDER/y.idx: error: 3 labels, but FOLDER/x.idx holds 2 images; expected one label per image
      note: check that the two files belong together (e.g. both training or both test files)
      """),
    MalformedInput(
      "idx-huge-label",
      [
        "d.txt": .text(dataModel("idx images=x.idx labels=y.idx")),
        "x.idx": .bytes([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7]),
        "y.idx": .bytes([0, 0, 0x0C, 1, 0, 0, 0, 1, 0x7F, 0, 0, 0]),
      ], run,
      """
      FOLDER/y.idx: error: label 0 (at byte offset 8) is 2130706432; without classes=N, labels must be below 65536
      note: if the data set really has more classes, give their number: classes=N
      """),
    MalformedInput(
      "fann-header-promises-too-much",
      ["d.txt": .text(dataModel("fann path=d.data")), "d.data": .text("100000000 1 1\n0.5\n1\n")],
      run,
      """
      FOLDER/d.data:1:1: error: the header promises 100000000 samples of 1 inputs and 1 outputs, more numbers than the file's 20 bytes can hold
          100000000 1 1
          ^
      note: correct the header: 'count inputs outputs'
      """),
    MalformedInput(
      "generator-too-large", ["d.txt": .text(dataModel("sine count=100000000000"))], run,
      """
      d.txt:1: error: the data set 'sine' needs about 4.4 TiB of memory (100 000 000 000 samples × 2 columns × 8 bytes, 3 copies while it is split and scaled) but this machine has MEMORY
      note: ask the generator for fewer samples
      """),
    MalformedInput(
      "generator-count-overflows",
      ["d.txt": .text(dataModel("spirals classes=4611686018427387904 count=4"))], run,
      """
      d.txt:1: error: the data set 'spirals' needs more than 576.0 EiB of memory (more than 9 223 372 036 854 775 807 samples × 3 columns × 8 bytes, 3 copies while it is split and scaled) but this machine has MEMORY
      note: ask the generator for fewer samples
      """),
    MalformedInput(
      "generator-step-too-small", ["d.txt": .text(dataModel("sine step=1e-300"))], run,
      """
      d.txt:1: error: the data set 'sine' needs more than 384.0 EiB of memory (more than 9 223 372 036 854 775 807 samples × 2 columns × 8 bytes, 3 copies while it is split and scaled) but this machine has MEMORY
      note: ask the generator for fewer samples
      """),
    MalformedInput(
      "generator-range-too-wide",
      ["d.txt": .text(dataModel("sine start=-1e308 stop=1e308"))], run,
      """
      d.txt:1: error: sine: the range from start (-1e+308) to stop (1e+308) is wider than a double can hold
      """),
    MalformedInput(
      "predict-input-wrong-width", ["w.csv": .text("a,b\n1,2\n")],
      ["predict", "prev.safetensors", "w.csv", "--output", "out.csv"],
      """
      w.csv: error: the file has 2 feature columns but the model takes 1 (x)
      """),
    MalformedInput(
      "predict-input-not-a-number", ["w.csv": .text("x\n1\nfast\n")],
      ["predict", "prev.safetensors", "w.csv"],
      """
      w.csv:3:1: error: 'fast' in column 1 ('x') is not a number; expected a number (features are numbers)
          fast
          ^
      """),
    MalformedInput(
      "predict-input-missing", [:], ["predict", "prev.safetensors", "none.csv"],
      """
      none.csv: error: no such file
      note: check the path
      """),
  ]

  // MARK: Checkpoints

  static let checkpointCases: [MalformedInput] = [
    MalformedInput(
      "predict-truncated-checkpoint", ["t.safetensors": .truncated("prev.safetensors", 700)],
      ["predict", "t.safetensors", "in.csv"],
      """
      t.safetensors: error: header length HEADER is larger than the 692 bytes that follow it
      note: the file is truncated, or it is not a safetensors file
      """),
    MalformedInput(
      "evaluate-truncated-data", ["t.safetensors": .truncatedData("prev.safetensors", keep: 20)],
      ["evaluate", "t.safetensors"],
      """
      t.safetensors: error: tensor 'layers.0.bias': data_offsets [16, 32] reach past the end of the data buffer (20 bytes)
      note: the file is truncated or damaged
      """),
    MalformedInput(
      "predict-wrong-magic", ["w.safetensors": .bytes(Array("GARBAGE!{}".utf8))],
      ["predict", "w.safetensors", "in.csv"],
      """
      w.safetensors: error: header length 2397400722255790407 is larger than the 100000000-byte limit
      note: the file is damaged, or it is not a safetensors file
      """),
    MalformedInput(
      "predict-json-garbage",
      ["j.safetensors": .bytes([8, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":[1,".utf8))],
      ["predict", "j.safetensors", "in.csv"],
      """
      j.safetensors: error: the header is not valid JSON: expected a value, found end of text (at byte 16 of the file)
      """),
    MalformedInput(
      "predict-csv-as-checkpoint", [:], ["predict", "in.csv", "in.csv"],
      """
      in.csv: error: header length 3245464953964605816 is larger than the 100000000-byte limit
      note: the file is damaged, or it is not a safetensors file
      """),
    MalformedInput(
      "predict-folder-as-checkpoint", ["dir/x": .text("x")], ["predict", "dir", "in.csv"],
      """
      dir: error: is a folder, not a file
      """),
    MalformedInput(
      "predict-missing-checkpoint", [:], ["predict", "gone.safetensors", "in.csv"],
      """
      gone.safetensors: error: cannot open the file: No such file or directory
      """),
    MalformedInput(
      "predict-plain-weights", [:],
      ["predict", "plain.safetensors", "in.csv"],
      """
      plain.safetensors: error: not an nnpipe checkpoint: its metadata has no 'format' = 'nnpipe-checkpoint'
      note: a safetensors file written elsewhere (e.g. by PyTorch) can give initial weights
      """),
    MalformedInput(
      "predict-newer-format",
      [
        "n.safetensors": .edited("prev.safetensors") { header in
          var metadata = header["__metadata__"] as? [String: String] ?? [:]
          metadata["format_version"] = "99"
          header["__metadata__"] = metadata
        }
      ], ["predict", "n.safetensors", "in.csv"],
      """
      n.safetensors: error: checkpoint format_version 99 is newer than the version 1 this nnpipe reads
      note: update nnpipe to read it
      """),
    MalformedInput(
      "predict-overlapping-tensors",
      [
        "o.safetensors": .edited("prev.safetensors") { header in
          var bias = header["layers.0.bias"] as? [String: Any] ?? [:]
          bias["data_offsets"] = (header["layers.0.weight"] as? [String: Any])?["data_offsets"]
          header["layers.0.bias"] = bias
        }
      ], ["predict", "o.safetensors", "in.csv"],
      """
      o.safetensors: error: tensors 'layers.0.bias' (data_offsets [32, 48]) and 'layers.0.weight' (data_offsets [32, 48]) overlap in the data buffer
      """),
    MalformedInput(
      "predict-shape-against-dtype",
      [
        "s.safetensors": .edited("prev.safetensors") { header in
          var weight = header["layers.1.weight"] as? [String: Any] ?? [:]
          weight["shape"] = [1, 5]
          header["layers.1.weight"] = weight
        }
      ], ["predict", "s.safetensors", "in.csv"],
      """
      s.safetensors: error: tensor 'layers.1.weight': shape [1, 5] needs 20 bytes of F32, data_offsets give 16
      """),
    MalformedInput(
      "predict-missing-tensor",
      ["m.safetensors": .edited("prev.safetensors") { $0["layers.1.bias"] = nil }],
      ["predict", "m.safetensors", "in.csv"],
      """
      m.safetensors: error: tensor 'layers.1.bias' is missing; the model needs [1]
      """),
    MalformedInput(
      "predict-model-larger-than-tensors",
      [
        "big.safetensors": .edited("prev.safetensors") { header in
          var metadata = header["__metadata__"] as? [String: String] ?? [:]
          metadata["model"] = metadata["model"]?.replacingOccurrences(
            of: "units=4 ", with: "units=400000000000 ")
          header["__metadata__"] = metadata
        }
      ], ["predict", "big.safetensors", "in.csv"],
      """
      big.safetensors: error: the model stored in the checkpoint has 1200000000001 parameters, but its tensors hold 13 values; the checkpoint is damaged
      note: the model text and the tensors of a checkpoint are written together; was it edited?
      """),
    MalformedInput(
      "evaluate-model-generates-too-much",
      [
        "g.safetensors": .edited("prev.safetensors") { header in
          var metadata = header["__metadata__"] as? [String: String] ?? [:]
          metadata["model"] = metadata["model"]?.replacingOccurrences(
            of: "count=20 ", with: "count=100000000000 ")
          header["__metadata__"] = metadata
        }
      ], ["evaluate", "g.safetensors"],
      """
      g.safetensors (model):1: error: the data set 'sine' needs about 4.4 TiB of memory (100 000 000 000 samples × 2 columns × 8 bytes, 3 copies while it is split and scaled) but this machine has MEMORY
      note: ask the generator for fewer samples
      """),
    MalformedInput(
      "resume-shape-mismatch", [:],
      ["run", "m.txt", "--resume", "other.safetensors", "--output", "prev.safetensors"],
      """
      other.safetensors: error: the model file differs from the model this checkpoint was trained with: layer 0 units: checkpoint 5, model file 4
      note: the network and the precision of a run cannot change on resume; use the model file (and --set) the run started with
      """),
    MalformedInput(
      "resume-missing-tensors", [:],
      ["run", "m.txt", "--resume", "short.safetensors", "--output", "prev.safetensors"],
      """
      short.safetensors: error: the model file differs from the model this checkpoint was trained with: layers: checkpoint 1 layers, model file 2 layers
      note: also: train batch: checkpoint 32, model file 10; train seed: checkpoint 0, model file 1; the network and the precision of a run cannot change on resume; use the model file (and --set) the run started with
      """),
    MalformedInput(
      "resume-plain-weights", [:],
      ["run", "m.txt", "--resume", "plain.safetensors", "--output", "prev.safetensors"],
      """
      plain.safetensors: error: not an nnpipe checkpoint: its metadata has no 'format' = 'nnpipe-checkpoint'
      note: a safetensors file written elsewhere (e.g. by PyTorch) can give initial weights
      """),
    MalformedInput(
      "resume-nan-weight", ["nan.safetensors": .nan("prev.safetensors", tensor: "layers.1.weight")],
      ["run", "m.txt", "--resume", "nan.safetensors", "--output", "prev.safetensors"],
      """
      nan.safetensors: error: tensor 'layers.1.weight' holds nan at element 0; saved parameters must be finite
      """),
    MalformedInput(
      "resume-negative-epoch",
      [
        "epoch.safetensors": .edited("prev.safetensors") { header in
          var metadata = header["__metadata__"] as? [String: String] ?? [:]
          metadata["epoch"] = "-1"
          header["__metadata__"] = metadata
        }
      ], ["run", "m.txt", "--resume", "epoch.safetensors", "--output", "prev.safetensors"],
      """
      epoch.safetensors: error: checkpoint metadata 'epoch' must be an integer from 0 to 2^53 (9007199254740992); found '-1'
      """),
    MalformedInput(
      "init-from-shape-mismatch", [:],
      ["run", "m.txt", "--init-from", "other.safetensors", "--output", "prev.safetensors"],
      """
      other.safetensors: error: tensor 'layers.0.weight' has shape [5, 1], the model needs [4, 1]
      note: also: tensor 'layers.0.bias' has shape [5], the model needs [4]; tensor 'layers.1.weight' has shape [1, 5], the model needs [1, 4]
      """),
    MalformedInput(
      "init-from-csv", [:],
      ["run", "m.txt", "--init-from", "in.csv", "--output", "prev.safetensors"],
      """
      in.csv: error: header length 3245464953964605816 is larger than the 100000000-byte limit
      note: the file is damaged, or it is not a safetensors file
      """),
    MalformedInput(
      "init-from-integer-weights",
      [
        "i.safetensors": .edited("prev.safetensors") { header in
          var weight = header["layers.1.weight"] as? [String: Any] ?? [:]
          weight["dtype"] = "I32"
          header["layers.1.weight"] = weight
        }
      ], ["run", "m.txt", "--init-from", "i.safetensors", "--output", "prev.safetensors"],
      """
      i.safetensors: error: tensor 'layers.1.weight' has dtype I32; a parameter needs a floating-point dtype (F32, F64, F16, BF16)
      """),
    MalformedInput(
      "output-is-a-data-file", ["data.csv": .text("x,y\n1,2\n")],
      ["run", "m.txt", "--output", "data.csv"],
      """
      error: --output 'data.csv': refusing to overwrite: the file exists and is not an nnpipe checkpoint
      note: choose another path, move the file away, or add --force to replace it
      """),
    MalformedInput(
      "output-folder-missing", [:],
      ["run", "m.txt", "--output", "nowhere/x.safetensors", "--quiet"],
      """
      error: --output 'nowhere/x.safetensors': the folder 'nowhere' does not exist
      note: create the folder first, or choose another path
      """),
  ]

  // MARK: Command-line arguments

  static let argumentCases: [MalformedInput] = [
    MalformedInput(
      "unknown-command", [:], ["rn", "m.txt"],
      """
      Error: unknown command 'rn'; did you mean 'run'?
      Usage: nnpipe <command> [<arguments>]
        See 'nnpipe --help' for more information.
      """),
    MalformedInput(
      "unknown-option", [:], ["run", "m.txt", "--epoch", "3"],
      """
      Error: unknown option '--epoch'; did you mean '--epochs'?
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "epochs-not-a-number", [:], ["run", "m.txt", "--epochs", "many"],
      """
      Error: invalid value 'many' for '--epochs': expected an integer ≥ 0
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "seed-negative", [:], ["run", "m.txt", "--seed=-3"],
      """
      Error: invalid value '-3' for '--seed': expected an integer ≥ 0
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "missing-option-value", [:], ["run", "m.txt", "--output"],
      """
      Error: missing value for '--output <path>'
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "option-given-twice", [:],
      ["run", "m.txt", "--output", "prev.safetensors", "--output", "b.safetensors"],
      """
      Error: option '--output' given more than once
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "flag-with-value", [:], ["run", "m.txt", "--quiet=yes"],
      """
      Error: option '--quiet' takes no value
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "no-save-with-output", [:], ["run", "m.txt", "--no-save", "--output", "prev.safetensors"],
      """
      Error: '--no-save' and '--output' cannot be used together
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "init-from-with-resume", [:],
      ["run", "m.txt", "--init-from", "prev.safetensors", "--resume", "prev.safetensors"],
      """
      Error: '--init-from' and '--resume' cannot be used together
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "log-every-zero", [:], ["run", "m.txt", "--log-every", "0"],
      """
      Error: invalid value '0' for '--log-every': expected an integer ≥ 1
      Usage: nnpipe run <model> [--set <key=value> ...] [--seed <n>] [--epochs <n>] [--output <path>] [--no-save] [--force] [--init-from <checkpoint>] [--resume <checkpoint>] [--allow-changes] [--json] [--quiet] [--log-every <n>] [--threads <n>] [--step <step>]
        See 'nnpipe run --help' for more information.
      """),
    MalformedInput(
      "set-bad-value", [:], ["run", "m.txt", "--set", "optimizer.lr=fast"],
      """
      error: --set optimizer.lr=fast: optimizer 'adam' option 'lr': expected a real number > 0, got 'fast'
      """),
    MalformedInput(
      "set-no-such-layer", [:], ["run", "m.txt", "--set", "layers.7.units=3"],
      """
      error: --set layers.7.units=3: there is no layer 7; the model has 2 layers (0…1)
      """),
    MalformedInput(
      "predict-missing-input-argument", [:], ["predict", "prev.safetensors"],
      """
      Error: missing expected argument '<input>'
      Usage: nnpipe predict <checkpoint> <input> [--output <path>] [--raw] [--force] [--threads <n>]
        See 'nnpipe predict --help' for more information.
      """),
    MalformedInput(
      "extra-argument", [:], ["evaluate", "prev.safetensors", "in.csv", "more.csv"],
      """
      Error: unexpected argument 'more.csv'
      Usage: nnpipe evaluate <checkpoint> [<data>] [--json] [--threads <n>]
        See 'nnpipe evaluate --help' for more information.
      """),
  ]

  @Test func theTableHasAtLeastFortyRows() {
    #expect(Self.cases.count >= 40)
    #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
  }

  /// Each row: the exact message on standard error, the exit status, nothing on standard output,
  /// and every file of the folder (the previous checkpoint `prev.safetensors` included) byte for byte
  /// as it was, with nothing added.
  @Test(arguments: cases)
  func malformedInputIsRefusedAndNothingSavedIsTouched(_ row: MalformedInput) throws {
    let fixture = try ReliabilityFixture.made.get()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [String: [UInt8]] = [
      "m.txt": fixture.bytes("m.txt"), "prev.safetensors": fixture.bytes("prev.safetensors"),
      "in.csv": fixture.bytes("in.csv"),
    ]
    for (name, content) in row.files {
      switch content {
      case .text(let text): files[name] = Array(text.utf8)
      case .bytes(let bytes): files[name] = bytes
      case .fixture(let source): files[name] = fixture.bytes(source)
      case .truncated(let source, let count):
        files[name] = Array(fixture.bytes(source).prefix(count))
      case .truncatedData(let source, let keep):
        let bytes = fixture.bytes(source)
        files[name] = Array(bytes.prefix(8 + fixture.headerLength(source) + keep))
      case .nan(let source, let tensor):
        let (header, data) = try safetensorsParts(fixture.bytes(source))
        let begin = try #require(
          ((header[tensor] as? [String: Any])?["data_offsets"] as? [Int])?[0])
        var patched = data
        for k in 0..<4 {
          patched[begin + k] = UInt8(truncatingIfNeeded: Float.nan.bitPattern >> (8 * k))
        }
        files[name] = try safetensorsBytes(header: header, data: patched)
      case .edited(let source, let edit):
        var (header, data) = try safetensorsParts(fixture.bytes(source))
        edit(&header)
        files[name] = try safetensorsBytes(header: header, data: data)
      }
    }
    for name in ["other.safetensors", "short.safetensors", "plain.safetensors"]
    where row.arguments.contains(name) {
      files[name] = fixture.bytes(name)
    }
    for (name, bytes) in files {
      let url = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
    let before = try snapshot(folder)

    let result = try runProcess(row.arguments, in: folder)
    let expected =
      row.message.replacingOccurrences(of: "FOLDER", with: folder.path)
      .replacingOccurrences(of: "HEADER", with: String(fixture.headerLength("prev.safetensors")))
      .replacingOccurrences(
        of: "MEMORY",
        with: String(
          format: "%.1f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824))
      + "\n"
    #expect(result.stderr == expected)
    #expect(result.status == row.status)
    #expect(result.stdout.isEmpty)
    let after = try snapshot(folder)
    #expect(after.keys.sorted() == before.keys.sorted(), "files were added or removed")
    for (name, bytes) in before where after[name] != bytes {
      Issue.record("\(name) was modified")
    }
  }
}

// MARK: - Faults during a run

/// A network whose checkpoint takes a while to write: two 1000-unit layers in double precision with
/// SGD momentum, 1 M parameters and 1 M momentum values, a 16 MB file.
let largeCheckpointModel = """
  data sine count=32
  layer dense units=1000 activation=tanh
  layer dense units=1000 activation=tanh
  layer dense units=1
  optimizer sgd lr=0.0001 momentum=0.9
  train epochs=1 batch=32 precision=double

  """

/// The temporary files `AtomicFile` writes beside `name` in `folder` (`.NAME.tmp-PID-RANDOM`).
func temporaryFiles(of name: String, in folder: URL) -> [String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
  return names.filter { $0.hasPrefix(".\(name).tmp-") }.sorted()
}

/// The bytes of the file at `url`, or `nil` if there is none.
func contents(_ url: URL) -> [UInt8]? {
  (try? Data(contentsOf: url)).map { Array($0) }
}

/// Starts the built binary in `folder`, its output discarded.
func start(_ arguments: [String], in folder: URL, errors: Pipe? = nil) throws -> Process {
  let process = Process()
  process.executableURL = nnpipeExecutable
  process.arguments = arguments
  process.currentDirectoryURL = folder
  var environment = ProcessInfo.processInfo.environment
  environment["NO_COLOR"] = "1"
  // Under `swift test --sanitize=thread` the binary is instrumented too, and ThreadSanitizer sleeps
  // a second in `_exit` (to catch races at exit) while the other threads run on: the "exits at once"
  // of a second interrupt would then not be at once.
  environment["TSAN_OPTIONS"] =
    (environment["TSAN_OPTIONS"].map { $0 + " " } ?? "")
    + "atexit_sleep_ms=0"
  process.environment = environment
  process.standardOutput = FileHandle.nullDevice
  process.standardError = errors ?? FileHandle.nullDevice
  process.standardInput = FileHandle.nullDevice
  try process.run()
  return process
}

/// Waits, polling every half millisecond, until `condition` holds or `process` ends or `seconds`
/// pass; returns whether `condition` held.
func wait(
  for process: Process, seconds: Double, until condition: () -> Bool
) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if condition() { return true }
    if !process.isRunning { return condition() }
    usleep(500)
  }
  return condition()
}

extension ReliabilityTests {
  /// `kill -9` at random moments of runs that each end by replacing the checkpoint: after every
  /// kill, the checkpoint is either the previous file, byte for byte, or a complete new one that
  /// `nnpipe predict` loads; never a partial file. Every other round is killed right after the
  /// temporary file appears, i.e. in the middle of the write; the temporary files those kills leave
  /// behind do not disturb the next run.
  @Test func killingARunAtAnyMomentLeavesTheOldOrTheNewCheckpoint() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(largeCheckpointModel, to: "big.txt", in: folder)
    try write("x1\n0.5\n", to: "in.csv", in: folder)
    let checkpoint = folder.appendingPathComponent("big.safetensors")
    func run(seed: Int) -> [String] {
      ["run", "big.txt", "--quiet", "--seed", String(seed), "--output", "big.safetensors"]
    }
    func loads() throws -> Bool {
      try runProcess(["predict", "big.safetensors", "in.csv"], in: folder).status == 0
    }

    // A complete run: the first checkpoint, and how long a run takes.
    let started = Date()
    #expect(try runProcess(run(seed: 0), in: folder).status == 0)
    let duration = Date().timeIntervalSince(started)
    var previous = try #require(contents(checkpoint))
    #expect(isCompleteSafetensors(previous))

    var killedWhileWriting = 0
    for round in 1...8 {
      // Each write removes the strays of the writes killed before it, and makes its own.
      let strays = Set(temporaryFiles(of: "big.safetensors", in: folder))
      func newTemporaryFile() -> Bool {
        !Set(temporaryFiles(of: "big.safetensors", in: folder)).isSubset(of: strays)
      }
      let process = try start(run(seed: round), in: folder)
      if round.isMultiple(of: 2) {
        // Right after the temporary file appears (plus up to 10 ms): in the middle of the write.
        _ = wait(for: process, seconds: 10 * duration + 10) { newTemporaryFile() }
        usleep(UInt32.random(in: 0...10_000))
      } else {
        usleep(UInt32(Double.random(in: 0.3...1.2) * duration * 1_000_000))
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()

      let now = try #require(contents(checkpoint), "round \(round): the checkpoint is gone")
      if now != previous {
        #expect(isCompleteSafetensors(now), "round \(round): a partial checkpoint")
        #expect(try loads(), "round \(round): the new checkpoint does not load")
        previous = now
      }
      if newTemporaryFile() { killedWhileWriting += 1 }
    }
    #expect(killedWhileWriting >= 1, "no kill landed in the middle of a write")

    // The stray temporary files do not disturb the next run, nor are they taken for a checkpoint;
    // its write removes them.
    #expect(!temporaryFiles(of: "big.safetensors", in: folder).isEmpty)
    #expect(try runProcess(run(seed: 99), in: folder).status == 0)
    #expect(temporaryFiles(of: "big.safetensors", in: folder).isEmpty)
    let last = try #require(contents(checkpoint))
    let replacedAndComplete = last != previous && isCompleteSafetensors(last)
    #expect(replacedAndComplete)
    #expect(try loads())
  }

  /// A first SIGINT asks the run to stop and save; a second one, sent while that checkpoint is being
  /// written, exits at once with status 130, and the previous checkpoint stays as it was.
  @Test func aSecondInterruptExitsAtOnceWithoutTouchingThePreviousCheckpoint() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(largeCheckpointModel, to: "big.txt", in: folder)
    try write("x1\n0.5\n", to: "in.csv", in: folder)
    let checkpoint = folder.appendingPathComponent("big.safetensors")
    #expect(try runProcess(["run", "big.txt", "--quiet"], in: folder).status == 0)
    let previous = try #require(contents(checkpoint))

    let errors = Pipe()
    let process = try start(
      ["run", "big.txt", "--epochs", "100000", "--seed", "7", "--log-every", "1"], in: folder,
      errors: errors)
    // Wait until training runs (the first epoch line), then interrupt.
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("epoch 1/") {
      let chunk = errors.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen.append(chunk)
    }
    kill(process.processIdentifier, SIGINT)
    let writing = wait(for: process, seconds: 120) {
      !temporaryFiles(of: "big.safetensors", in: folder).isEmpty
    }
    kill(process.processIdentifier, SIGINT)
    seen.append(errors.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    let stderr = String(decoding: seen, as: UTF8.self)

    #expect(writing, "the run ended before its checkpoint was being written: \(stderr)")
    #expect(process.terminationStatus == 130)
    #expect(stderr.hasSuffix("\nnnpipe: second interrupt, exiting now\n"), "\(stderr)")
    #expect(!stderr.contains("saved "))
    let unchanged = contents(checkpoint) == previous
    #expect(unchanged, "the previous checkpoint was modified")
    #expect(try runProcess(["predict", "big.safetensors", "in.csv"], in: folder).status == 0)
  }

  /// A model that cannot fit in memory is refused before anything is allocated, with an estimate of
  /// what it needs; the previous checkpoint is untouched. (The 1000-unit layer before the 10⁹-unit
  /// one makes its weight matrix 10¹² scalars, an allocation that fails at once rather than filling
  /// the machine if the check were missing.)
  @Test func aModelTooLargeForTheMachineIsRefusedWithAnEstimate() throws {
    let fixture = try ReliabilityFixture.made.get()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(
      "data sine\nlayer dense units=1000 activation=tanh\nlayer dense units=1000000000\n"
        + "layer dense units=1\noptimizer sgd\n", to: "huge.txt", in: folder)
    try Data(fixture.bytes("prev.safetensors")).write(
      to: folder.appendingPathComponent("prev.safetensors"))
    let before = try snapshot(folder)
    let result = try runProcess(["run", "huge.txt", "--output", "prev.safetensors"], in: folder)
    // P = (1000·1 + 1000) + (10⁹·1000 + 10⁹) + (10⁹ + 1) = 1 002 000 002 001, 4 bytes each for the
    // weights and again for the gradients; workspaces for the 100 samples of `sine`:
    // 100 · 4 · ((3·1000 + 1) + (3·10⁹ + 1000) + (3 + 10⁹)) bytes.
    let memory = String(
      format: "%.1f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
    #expect(
      result.stderr
        == "huge.txt: error: the model needs about 8.7 TiB of memory (1 002 000 002 001 parameters "
        + "in float: 3.6 TiB of weights, 3.6 TiB of gradients, 1.5 TiB of workspaces for 100 rows "
        + "at a time, 800 B of training data) but this machine has \(memory)\n"
        + "note: use fewer or smaller layers\n")
    #expect(result.status == 64)
    let untouched = try snapshot(folder) == before
    #expect(untouched, "a file was added, removed or modified")
  }
}
