import NNCheckpoints
import NNModelLanguage
import NNONNX
import NNPlots
import NNProtocols

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Checks every file a command is about to write, before the command does any work, so that a bad
/// output path is found in a second rather than after hours of training, and nothing the user did not
/// ask to replace is replaced.
///
/// Given every output of a command (its path, its kind, and the statement or flag that set it) and
/// every input (model file, data files, checkpoints read), `check()` refuses, each as an `InputError`
/// naming the path and the statement (`model.txt:9`) or flag (`--output`) that set it:
/// - an empty path, or one that names a folder (`out/`, an existing folder) or something other than a
///   regular file (a device, a FIFO);
/// - an output that is an input of the same run (compared by device and inode, so `./a.csv`, `a.csv`,
///   a hard link and a symbolic link all match), except a checkpoint the run continues (`--resume`)
///   or starts from, which its new checkpoint may replace;
/// - two outputs on one path;
/// - an existing file of another kind: only a file nnpipe wrote, of the same kind, is replaced
///   (`isReplaceable`), unless `force` is set (`--force`);
/// - a folder that is missing or cannot be written (a temporary file is created there and removed,
///   which is the only sure test: `access(W_OK)` says yes to root on a read-only file system);
/// - a file name longer than the file system allows (`NAME_MAX`, usually 255 bytes).
///
/// The kind of an existing predictions CSV is its header, which a run knows only once its data is
/// read: `check()` then only asks that the file be text, and `checkReplaceable(_:)` compares the
/// header when it is known (still before training).
public struct OutputGuard: Sendable {
  /// What kind of file an output is; an existing file is replaced only by one of its own kind.
  public enum Kind: Sendable, Equatable {
    /// An nnpipe checkpoint (safetensors with nnpipe's metadata).
    case checkpoint
    /// A predictions CSV; `header` is the first line nnpipe will write, when already known.
    case predictions(header: String?)
    /// An SVG plot.
    case plot
    /// An ONNX model.
    case onnx

    /// How messages name a file of this kind that nnpipe wrote.
    var name: String {
      switch self {
      case .checkpoint: "an nnpipe checkpoint"
      case .predictions: "a predictions CSV written by nnpipe"
      case .plot: "an SVG plot written by nnpipe"
      case .onnx: "an ONNX model written by nnpipe"
      }
    }
  }

  /// Where a path came from, for messages: a flag, a command's argument, or a model statement.
  public struct Origin: Sendable, Equatable {
    /// The setting as the user wrote it: `--output`, `OUTPUT`, `output plot_loss=`.
    public var setting: String
    /// The model file of a statement, else `nil`.
    public var file: String?
    /// The statement's line in `file`, when known.
    public var line: Int?

    /// A path set on the command line by `setting` (`--output`, `OUTPUT`).
    public init(setting: String, file: String? = nil, line: Int? = nil) {
      self.setting = setting
      self.file = file
      self.line = line
    }

    /// The option `key` of the statement `statement` (`output`, `data`, `layers.0`) of `description`.
    public static func statement(_ statement: String, key: String, of description: ModelDescription)
      -> Origin
    {
      let keyword = statement.hasPrefix("layers.") ? "layer" : statement
      return Origin(
        setting: "\(keyword) \(key)=", file: description.sourcePath,
        line: description.statementLines[statement])
    }
  }

  /// A file the command will write.
  public struct Output: Sendable, Equatable {
    public var path: String
    public var kind: Kind
    public var origin: Origin

    public init(_ path: String, kind: Kind, origin: Origin) {
      self.path = path
      self.kind = kind
      self.origin = origin
    }
  }

  /// A file the command reads.
  public struct Input: Sendable, Equatable {
    public var path: String
    /// How messages name it: `the model file`, `--resume`, `data csv path=`.
    public var role: String
    /// An output of this kind may replace it: a checkpoint read whole at the start (`--resume`,
    /// `--init-from`, `weights from=`) may be replaced by the run's new checkpoint. `nil`: never.
    public var replaceableBy: Kind?

    public init(_ path: String, role: String, replaceableBy: Kind? = nil) {
      self.path = path
      self.role = role
      self.replaceableBy = replaceableBy
    }
  }

  public var outputs: [Output]
  public var inputs: [Input]
  /// Replace existing files of another kind (`--force`). Never replaces an input, a folder or a
  /// non-regular file, and never lets two outputs share a path.
  public var force: Bool

  public init(outputs: [Output], inputs: [Input], force: Bool = false) {
    self.outputs = outputs
    self.inputs = inputs
    self.force = force
  }

  /// Checks every output (see the type's description).
  ///
  /// - Throws: `InputError` for one problem, `InputErrors` (one per output, in order) for several.
  public func check() throws {
    var problems: [InputError] = []
    var claimed: [(keys: Set<PathKey>, output: Output)] = []
    let inputKeys = inputs.filter { !$0.path.isEmpty }.map {
      (keys: PathKey.keys(of: $0.path), input: $0)
    }
    for output in outputs {
      if let problem = placeProblem(output) {
        problems.append(problem)
        continue
      }
      let keys = PathKey.keys(of: output.path)
      if let (_, input) = inputKeys.first(where: {
        !$0.keys.isDisjoint(with: keys) && $0.input.replaceableBy != output.kind
      }) {
        problems.append(
          error(
            output, "is also an input of this run (\(input.role)); writing it would destroy it",
            hint: "choose another path for the output"))
        continue
      }
      if let (_, other) = claimed.first(where: { !$0.keys.isDisjoint(with: keys) }) {
        problems.append(
          error(
            output,
            "is also the path of '\(other.origin.setting)'; one file would replace the other",
            hint: "give each output its own path"))
        continue
      }
      claimed.append((keys, output))
      do { try checkReplaceable(output) } catch let problem as InputError {
        problems.append(problem)
      }
    }
    if problems.count == 1 { throw problems[0] }
    if problems.count > 1 { throw InputErrors(problems) }
  }

  /// Refuses to replace an existing file at `output.path` that is not of `output.kind` (written by
  /// nnpipe), unless `force` is set; nothing there is fine. For a predictions CSV whose header is not
  /// yet known, the file must be text.
  public func checkReplaceable(_ output: Output) throws {
    guard !force, Self.isRegularFile(output.path), !Self.isReplaceable(output.path, by: output.kind)
    else { return }
    throw error(
      output,
      "refusing to overwrite: the file exists and is not \(output.kind.name)",
      hint: "choose another path, move the file away, or add --force to replace it")
  }

  /// Whether the existing file at `path` is one nnpipe wrote as `kind`, which an output of that kind
  /// may replace:
  /// - a checkpoint: safetensors metadata `format = nnpipe-checkpoint` (`Checkpoint.isNNPipeCheckpoint`);
  /// - a plot: an SVG whose first lines carry nnpipe's generator comment (`PlotCanvas.generatorComment`),
  ///   or, as plots of earlier versions, nnpipe's exact `<svg …>` opening;
  /// - an ONNX model: a protocol buffer whose first fields are `ir_version` and `producer_name` "nnpipe";
  /// - predictions: a CSV whose first line is exactly `header`; with no header yet, any text file
  ///   (no NUL byte, valid UTF-8 in its first 4 KiB).
  public static func isReplaceable(_ path: String, by kind: Kind) -> Bool {
    switch kind {
    case .checkpoint:
      return Checkpoint.isNNPipeCheckpoint(path: path)
    case .plot:
      let lines = String(decoding: prefix(of: path, count: 1024), as: UTF8.self)
        .split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
      guard lines.count >= 2, lines[0].hasPrefix("<?xml ") else { return false }
      return lines[1] == PlotCanvas.generatorComment
        || (lines[1].hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width=""#)
          && lines[1].hasSuffix(#" font-family="\#(PlotCanvas.fontFamily)" font-size="12">"#))
    case .onnx:
      return isNNPipeONNX(prefix(of: path, count: 64))
    case .predictions(let header):
      let bytes = prefix(of: path, count: 4096)
      guard !bytes.contains(0) else { return false }
      guard let header else { return String(validating: bytes.prefix(4000), as: UTF8.self) != nil }
      let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
      return firstLine.elementsEqual(header.utf8)
    }
  }

  /// Whether `bytes` start as `ONNXModel.serializedBytes()` writes nnpipe's models: field 1
  /// (`ir_version`, a varint), then field 2 (`producer_name`) = "nnpipe".
  static func isNNPipeONNX(_ bytes: [UInt8]) -> Bool {
    guard bytes.first == 0x08 else { return false }
    var index = 1
    while index < bytes.count, bytes[index] & 0x80 != 0, index < 11 { index += 1 }
    index += 1
    let name = Array(ONNXExporter.producerName.utf8)
    guard index + 2 + name.count <= bytes.count, bytes[index] == 0x12,
      Int(bytes[index + 1]) == name.count
    else { return false }
    return Array(bytes[(index + 2)..<(index + 2 + name.count)]) == name
  }

  // MARK: - Where the file goes

  /// The first problem with where `output` would be written, or `nil`: the path itself, its folder,
  /// its name's length, what is there now.
  func placeProblem(_ output: Output) -> InputError? {
    let path = output.path
    if path.isEmpty {
      return error(output, "the path is empty", hint: "give the name of a file to write")
    }
    let (folder, name) = AtomicFile.split(path)
    if name.isEmpty || name == "." || name == ".." {
      return error(
        output, "names a folder, not a file", hint: "add a file name, e.g. '\(path)/NAME'")
    }
    var info = stat()
    guard stat(folder, &info) == 0 else {
      let reason = errno == ENOENT ? "does not exist" : "cannot be used: \(systemMessage())"
      return error(
        output, "the folder '\(folder)' \(reason)",
        hint: "create the folder first, or choose another path")
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      return error(output, "'\(folder)' is not a folder", hint: "choose another path")
    }
    let nameMax = AtomicFile.nameMax(folder)
    if name.utf8.count > nameMax {
      return error(
        output,
        "the file name is \(name.utf8.count) bytes long; the file system allows at most \(nameMax)",
        hint: "choose a shorter name")
    }
    if stat(path, &info) == 0 {
      let type = info.st_mode & S_IFMT
      if type == S_IFDIR {
        return error(
          output, "is a folder, not a file", hint: "add a file name, e.g. '\(path)/NAME'")
      }
      if type != S_IFREG {
        return error(
          output, "is not a regular file (a device, FIFO or socket); nnpipe writes only files",
          hint: "choose the path of a file")
      }
    }
    // The only sure test that the folder can be written: create the temporary file the write will
    // create (same name pattern), and remove it at once.
    let probe = AtomicFile.temporaryPath(for: path)
    let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      return error(
        output, "cannot create a file in the folder '\(folder)': \(systemMessage())",
        hint: "choose a folder you can write to")
    }
    close(descriptor)
    unlink(probe)
    return nil
  }

  /// An input error about `output`: at its statement's line (model file) or without a place (flag).
  func error(_ output: Output, _ problem: String, hint: String) -> InputError {
    InputError(
      file: output.origin.file, line: output.origin.line,
      "\(Self.shown(output.path, setBy: output.origin)): \(problem)", hint: hint)
  }

  /// `--output 'x.csv'`, `output plot_loss='/models/x.svg'`: a path and where it was set.
  static func shown(_ path: String, setBy origin: Origin) -> String {
    origin.setting + (origin.setting.hasSuffix("=") ? "'" : " '") + shown(path) + "'"
  }

  /// `path` as messages show it: at most 300 bytes, the middle elided.
  static func shown(_ path: String) -> String {
    guard path.utf8.count > 300 else { return path }
    return String(path.prefix(140)) + "…" + String(path.suffix(140))
  }

  static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
  }

  /// The first `count` bytes of the file at `path` (fewer if it is shorter; none if unreadable).
  static func prefix(of path: String, count: Int) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return [] }
    defer { close(descriptor) }
    return (try? AtomicFile.readUpTo(descriptor, count: count, path: path)) ?? []
  }

  func systemMessage() -> String { AtomicFile.systemMessage() }
}

/// What identifies a path on this machine: the file itself (device and inode, for a file that
/// exists, followed through symbolic links), its entry (the folder's device and inode, and the name),
/// or, when the folder does not exist, its normalized absolute text. Two paths are the same file when
/// they share a key.
enum PathKey: Hashable {
  case file(device: UInt64, inode: UInt64)
  case entry(device: UInt64, inode: UInt64, name: String)
  case text(String)

  static func keys(of path: String) -> Set<PathKey> {
    var keys: Set<PathKey> = []
    var info = stat()
    if stat(path, &info) == 0 {
      keys.insert(.file(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }
    let (folder, name) = AtomicFile.split(path)
    if stat(folder, &info) == 0 {
      keys.insert(.entry(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), name: name))
    } else {
      keys.insert(.text(ModelDescription.absolutePath(path, base: ".")))
    }
    return keys
  }
}

extension OutputGuard {
  /// The guard of `nnpipe run`: its checkpoint and every path of the `output` statement, against the
  /// model file, every path option of its components (`data csv path=`), `weights from=`,
  /// `--init-from` and `--resume`.
  public init(run description: ModelDescription, options: RunOptions, registry: ComponentRegistry) {
    var outputs: [Output] = []
    if let path = options.checkpointPath {
      let origin: Origin
      if let setting = options.checkpointSetting {
        origin = Origin(setting: setting)
      } else if path == description.outputs.checkpoint {
        origin = .statement("output", key: "checkpoint", of: description)
      } else {
        origin = Origin(
          setting: "the checkpoint (by default beside the model file)", file: description.sourcePath
        )
      }
      outputs.append(Output(path, kind: .checkpoint, origin: origin))
    }
    let settings = description.outputs
    let files: [(String, String?, Kind)] = [
      ("predictions", settings.predictions, .predictions(header: nil)),
      ("plot_loss", settings.plotLoss, .plot), ("plot_fit", settings.plotFit, .plot),
      ("plot_regions", settings.plotRegions, .plot),
      ("plot_gradients", settings.plotGradients, .plot),
    ]
    for case (let key, let path?, let kind) in files {
      outputs.append(
        Output(path, kind: kind, origin: .statement("output", key: key, of: description)))
    }

    var inputs: [Input] = []
    if let source = description.sourcePath { inputs.append(Input(source, role: "the model file")) }
    func visit(_ reference: ComponentReference, statement: String) {
      let specs = registry.optionSpecs(of: reference.kind, named: reference.name) ?? []
      for key in reference.options.order {
        switch reference.options[key] {
        case .component(let nested)?:
          visit(nested, statement: statement)
        case .text(let path)? where specs.contains(where: { $0.name == key && $0.type == .path }):
          let line = description.statementLines[statement].map { " on line \($0)" } ?? ""
          inputs.append(Input(path, role: "'\(reference.name) \(key)='\(line)"))
        default: break
        }
      }
    }
    visit(description.data, statement: "data")
    for (index, layer) in description.layers.enumerated() {
      visit(layer, statement: "layers.\(index)")
    }
    for (statement, reference) in [
      ("loss", description.loss), ("optimizer", description.optimizer),
      ("schedule", description.schedule),
    ] {
      if let reference { visit(reference, statement: statement) }
    }
    if let weights = description.initialWeights {
      inputs.append(Input(weights, role: "'weights from='", replaceableBy: .checkpoint))
    }
    if let path = options.initFrom {
      inputs.append(Input(path, role: "--init-from", replaceableBy: .checkpoint))
    }
    if let path = options.resume {
      inputs.append(Input(path, role: "--resume", replaceableBy: .checkpoint))
    }
    self.init(outputs: outputs, inputs: inputs, force: options.force)
  }

  /// Checks the predictions outputs again now that the CSV nnpipe will write is known (its first
  /// line is the header an existing file must have): `csv` is that text, or just its header.
  public func checkPredictions(header csv: String) throws {
    let header = String(csv.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
    for output in outputs where output.kind == .predictions(header: nil) {
      var known = output
      known.kind = .predictions(header: header)
      try checkReplaceable(known)
    }
  }
}
