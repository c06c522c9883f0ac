import CFuzzerDriver
import FuzzSupport
import NNCheckpoints
import NNModelLanguage
import NNPipeline
import NNPlots
import NNProtocols

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let registry = ComponentRegistry.standard()
let parser = ModelParser(registry: registry)

/// The harness's own folder (inside `scratchFolder`), holding the files a run could meet: the model
/// file, a data file and a link to it, an nnpipe checkpoint, an nnpipe plot, someone's notes and a
/// sub-folder. Every output path the guard sees lies inside it.
let folder: String = {
  let path = scratchFolder + "/guard"
  mkdir(path, 0o700)
  mkdir(path + "/sub", 0o700)
  // Runs before `scratchFolder`'s own clean-up (registered earlier), which then removes the folder.
  atexit {
    for name in listing(folder + "/sub") { unlink(folder + "/sub/" + name) }
    rmdir(folder + "/sub")
    for name in listing() { unlink(folder + "/" + name) }
    rmdir(folder)
  }
  return path
}()

/// The files of `folder` as each input starts: name → bytes.
let originals: [String: [UInt8]] = {
  let parameter = Parameter<Float>(
    name: "weight", value: Matrix(rows: 1, cols: 1), gradient: Matrix(rows: 1, cols: 1))
  let checkpoint = Checkpoint(
    parameters: [(path: "layers.0.weight", parameter: parameter)],
    metadata: CheckpointMetadata(
      nnpipeVersion: "0", model: "data sine\nlayer dense units=1\n", featureNames: ["x"]))
  try! checkpoint.write(to: folder + "/prev.safetensors")
  let files: [String: [UInt8]] = [
    "data.csv": Array("x,y\n1,2\n3,4\n".utf8),
    "notes.txt": Array("my notes\n".utf8),
    "loss.svg": Array(SVGPlot.lossChart(trainingLoss: [1, 0.5]).utf8),
    "p.csv": Array("y\n1\n".utf8),
  ]
  for (name, bytes) in files { try! AtomicFile.write(bytes, to: folder + "/" + name) }
  symlink(folder + "/data.csv", folder + "/link.csv")
  var all = files
  all["prev.safetensors"] = readAll(folder + "/prev.safetensors")
  return all
}()

func readAll(_ path: String) -> [UInt8]? {
  let descriptor = open(path, O_RDONLY)
  guard descriptor >= 0 else { return nil }
  defer { close(descriptor) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 4096)
  while true {
    let count = read(descriptor, &buffer, buffer.count)
    if count <= 0 { break }
    bytes += buffer[0..<count]
  }
  return bytes
}

/// The names in `path` (by default the harness's folder), sorted.
func listing(_ path: String = folder) -> [String] {
  guard let directory = opendir(path) else { return [] }
  defer { closedir(directory) }
  var names: [String] = []
  while let entry = readdir(directory) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    if name != "." && name != ".." { names.append(name) }
  }
  return names.sorted()
}

/// Puts `folder` back as it was: the original files' bytes, the link, an empty sub-folder, nothing
/// else.
func restore(_ expected: [String]) {
  for name in listing() where !expected.contains(name) { unlink(folder + "/" + name) }
  for name in listing(folder + "/sub") { unlink(folder + "/sub/" + name) }
  for (name, bytes) in originals where readAll(folder + "/" + name) != bytes {
    try! AtomicFile.write(bytes, to: folder + "/" + name)
  }
  unlink(folder + "/link.csv")
  symlink(folder + "/data.csv", folder + "/link.csv")
}

/// `path` made absolute in `folder`, or `nil` if it leaves the folder (the harness never lets the
/// guard probe folders elsewhere on the machine).
func confined(_ path: String) -> String? {
  let absolute = ModelDescription.absolutePath(path, base: folder)
  return absolute.hasPrefix(folder + "/") || path.isEmpty ? (path.isEmpty ? "" : absolute) : nil
}

/// An input is a model description (its `output` statement names the paths), optionally followed by
/// a NUL byte and flag lines: `--output PATH`, `--resume PATH`, `--init-from PATH`, `--force`. The
/// model is parsed as `m.txt` of the harness's folder and the run's `OutputGuard` checks it.
///
/// Accepted outcomes are success and `InputError(s)`. When the guard accepts, every output is then
/// written (a marker of its own) and must read back its own marker (no two outputs on one file), the
/// model and data files must be unchanged (no output is an input), and a file of another kind may only
/// have been replaced with `--force`; then the folder is put back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOutputGuard(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let end = bytes.firstIndex(of: 0) ?? bytes.count
  guard let text = String(validating: bytes[..<end], as: UTF8.self) else { return 0 }
  let flags =
    end < bytes.count
    ? String(decoding: bytes[(end + 1)...], as: UTF8.self).split(separator: "\n").map(String.init)
    : []
  let expected = (Array(originals.keys) + ["link.csv", "m.txt", "sub"]).sorted()
  restore(expected)
  try! AtomicFile.write(Array(text.utf8), to: folder + "/m.txt")
  defer { restore(expected) }

  var options = RunOptions()
  for flag in flags {
    let parts = flag.split(separator: " ", maxSplits: 1).map(String.init)
    guard let name = parts.first else { continue }
    let value = parts.count > 1 ? confined(parts[1]) : nil
    switch name {
    case "--force": options.force = true
    case "--output":
      guard let value else { return 0 }
      options.checkpointPath = value
      options.checkpointSetting = "--output"
    case "--resume": options.resume = value
    case "--init-from": options.initFrom = value
    default: break
    }
  }
  let description: ModelDescription
  do {
    description = try parser.parse(
      text, path: folder + "/m.txt", baseDirectory: folder, overrides: [])
  } catch {
    return 0
  }
  if options.checkpointPath == nil, description.outputs.save {
    options.checkpointPath = description.outputs.checkpoint ?? folder + "/m.safetensors"
  }
  let outputGuard = OutputGuard(run: description, options: options, registry: registry)
  for output in outputGuard.outputs where !output.path.isEmpty {
    guard output.path.hasPrefix(folder + "/") else { return 0 }
  }
  var passed = false
  acceptInputErrors("OutputGuard.check") {
    try outputGuard.check()
    passed = true
  }
  require(
    listing() == expected && listing(folder + "/sub").isEmpty,
    "the guard left files behind: \(listing())")
  guard passed else { return 0 }

  // Inputs no output may replace, and their bytes now.
  let kept = outputGuard.inputs.filter { $0.replaceableBy == nil }.map {
    ($0.path, readAll($0.path))
  }

  var replacedOtherKind = false
  for (index, output) in outputGuard.outputs.enumerated() {
    if readAll(output.path) != nil, !OutputGuard.isReplaceable(output.path, by: output.kind) {
      replacedOtherKind = true
    }
    acceptInputErrors("AtomicFile.write") {
      try AtomicFile.write(Array("output \(index)".utf8), to: output.path)
    }
  }
  require(!replacedOtherKind || options.force, "a file of another kind passed without --force")
  for (index, output) in outputGuard.outputs.enumerated() {
    require(
      readAll(output.path) == Array("output \(index)".utf8),
      "two outputs share \(output.path)")
  }
  require(readAll(folder + "/m.txt") == Array(text.utf8), "the model file was replaced")
  for (path, bytes) in kept { require(readAll(path) == bytes, "the input \(path) was replaced") }
  return 0
}

@_cdecl("FuzzOutputGuard_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  nnpipe_fuzz_main(argc, argv, fuzzOutputGuard)
}
