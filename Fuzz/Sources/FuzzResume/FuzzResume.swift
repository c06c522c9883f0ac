import CFuzzerDriver
import FuzzSupport
import NNCheckpoints
import NNModelLanguage
import NNPipeline
import NNProtocols

let registry = ComponentRegistry.standard()

/// A tiny run with every piece of resume state: shuffled mini-batches, dropout, Adam, a validation
/// split and early stopping (6 training samples, 3 steps an epoch).
let modelText = """
  data sine count=8 seed=1
  split validation=0.25
  layer dense units=3 activation=tanh
  layer dropout rate=0.5
  layer dense units=1
  optimizer adam lr=0.01
  train epochs=4 batch=2 seed=1
  early_stopping patience=2
  """

func description(overrides: [String]) throws -> ModelDescription {
  try ModelParser(registry: registry).parse(
    modelText, path: "fuzz.txt", baseDirectory: scratchFolder, overrides: overrides)
}

/// The checkpoint every input edits: the tiny run interrupted in the middle of its second epoch.
let base: SafetensorsFile = {
  let path = "\(scratchFolder)/a"
  var options = RunOptions(checkpointPath: path)
  var steps = 0
  options.shouldStop = {
    steps += 1
    return steps == 5
  }
  _ = try! ModelRunner(registry: registry).run(description(overrides: []), options: options)
  return try! SafetensorsFile(contentsOf: path)
}()

/// An input is lines editing the base checkpoint and the resuming run, then the run is resumed from
/// the edited checkpoint (`ModelRunner.run` with `resume`: the model check, every metadata key, the
/// tensors, the resume point, a training epoch) and its new checkpoint read back:
///
/// ```
/// KEY=VALUE                       set metadata KEY (resume_batch=7, epoch=9223372036854775807)
/// -KEY                            remove metadata KEY
/// tensor NAME D1,D2 V1,V2,…       set tensor NAME (float64, at most 4096 elements, values repeated)
/// -tensor NAME                    remove tensor NAME
/// set KEY=VALUE                   a --set override of the resuming run's model
/// allow_changes                   resume with --allow-changes
/// ```
///
/// Accepted outcomes: the run resumes, or an `InputError`; a checkpoint the resumed run wrote must
/// read back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResume(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var metadata = base.metadata
  var tensors = base.tensors
  var overrides: [String] = []
  var allowChanges = false
  for line in text.split(separator: "\n").prefix(64) {
    let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard let first = words.first else { continue }
    if first == "tensor", words.count >= 3 {
      let shape = words[2].split(separator: ",").compactMap { Int($0) }.filter { $0 >= 0 }
      let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
      guard shape.count <= 3, (0...4096).contains(count) else { continue }
      let given = words.count > 3 ? words[3].split(separator: ",").compactMap { Double($0) } : []
      let values = (0..<count).map { given.isEmpty ? 0.5 : given[$0 % given.count] }
      tensors[words[1]] = SafetensorsTensor(shape: shape, values: values)
    } else if first == "-tensor", words.count == 2 {
      tensors[words[1]] = nil
    } else if first == "set", words.count == 2 {
      overrides.append(words[1])
    } else if first == "allow_changes" {
      allowChanges = true
    } else if first.hasPrefix("-") {
      metadata[String(line.dropFirst())] = nil
    } else if let equals = line.firstIndex(of: "=") {
      metadata[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
  }
  let path = scratchFile("b", SafetensorsFile(tensors: tensors, metadata: metadata).serialized())
  acceptInputErrors("resume") {
    var model = try description(overrides: overrides)
    // A budget of one more epoch than the checkpoint's (when it reads), so every input trains at
    // most one epoch.
    if let epoch = metadata["epoch"].flatMap({ Int($0) }), (0..<(1 << 53)).contains(epoch) {
      model.training.epochs = epoch + 1
    }
    var options = RunOptions(resume: path, checkpointPath: "\(scratchFolder)/c")
    options.allowChanges = allowChanges
    let report = try ModelRunner(registry: registry).run(model, options: options)
    require(report.epochsCompleted <= model.training.epochs, "more epochs than the budget")
    do {
      let written = try Checkpoint.read(from: "\(scratchFolder)/c")
      require(written.metadata.epoch == report.epochsCompleted, "the checkpoint's epoch")
    } catch {
      require(false, "the resumed run's checkpoint does not read back: \(error)")
    }
  }
  return 0
}

@_cdecl("FuzzResume_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  nnpipe_fuzz_main(argc, argv, fuzzResume)
}
