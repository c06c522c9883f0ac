import Foundation
import NNModelLanguage
import NNONNX
import NNPlots
import NNProtocols
import NNTestSupport
import Testing

@testable import NNCheckpoints
@testable import NNPipeline

/// An output set by the flag `--output`.
private func flagged(_ path: String, _ kind: OutputGuard.Kind = .plot) -> OutputGuard.Output {
  OutputGuard.Output(path, kind: kind, origin: .init(setting: "--output"))
}

/// The one `InputError` `check()` throws for `outputs` and `inputs`, or `nil` if it passes.
private func problem(
  _ outputs: [OutputGuard.Output], inputs: [OutputGuard.Input] = [], force: Bool = false
) -> InputError? {
  do {
    try OutputGuard(outputs: outputs, inputs: inputs, force: force).check()
    return nil
  } catch let error as InputError {
    return error
  } catch {
    Issue.record("unexpected error \(error)")
    return nil
  }
}

/// A small nnpipe checkpoint at `path`.
private func writeCheckpoint(to path: String) throws {
  let parameter = Parameter<Float>(
    name: "weight", value: Matrix(rows: 1, cols: 1), gradient: Matrix(rows: 1, cols: 1))
  let metadata = CheckpointMetadata(
    nnpipeVersion: "0.1.0", model: "data sine\nlayer dense units=1\n", featureNames: ["x"],
    epoch: 1, components: ["layer:dense"])
  try Checkpoint(parameters: [(path: "layers.0.weight", parameter: parameter)], metadata: metadata)
    .write(to: path)
}

@Suite struct OutputGuardTests {
  @Test func anEmptyPathOrAFolderIsRefusedNamingTheFlag() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    #expect(
      problem([flagged("")])?.description
        == "error: --output '': the path is empty\nnote: give the name of a file to write")
    #expect(
      problem([flagged(folder.path + "/")])?.message
        == "--output '\(folder.path)/': names a folder, not a file")
    #expect(
      problem([flagged(folder.path)])?.message
        == "--output '\(folder.path)': is a folder, not a file")
    #expect(
      problem([flagged("/dev/null")])?.message.hasSuffix(
        "is not a regular file (a device, FIFO or socket); nnpipe writes only files") == true)
  }

  @Test func aMissingOrUnwritableFolderIsRefused() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let missing = folder.file("nowhere/x.csv")
    #expect(
      problem([flagged(missing)])?.message
        == "--output '\(missing)': the folder '\(folder.file("nowhere"))' does not exist")
    try AtomicFile.write([1], to: folder.file("plain"))
    #expect(
      problem([flagged(folder.file("plain/x.svg"))])?.message
        == "--output '\(folder.file("plain/x.svg"))': '\(folder.file("plain"))' is not a folder")
    // Root may write any folder whatever its mode; /sys still refuses it new files.
    let readOnly = geteuid() == 0 ? "/sys" : folder.file("locked")
    if geteuid() != 0 {
      try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
      try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly)
    }
    let message = problem([flagged(readOnly + "/x.svg")])?.message ?? ""
    #expect(
      message.hasPrefix(
        "--output '\(readOnly)/x.svg': cannot create a file in the folder '\(readOnly)': "),
      "\(message)")
    #expect(try folder.contents().allSatisfy { !$0.contains(".tmp-") }, "the probe is removed")
  }

  @Test func aNameTooLongIsRefusedAndALegalLongNameWorks() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let tooLong = folder.file(String(repeating: "n", count: 256))
    #expect(
      problem([flagged(tooLong)])?.message
        == "--output '\(OutputGuard.shown(tooLong))': the file name is 256 bytes long; the file system allows at most 255"
    )
    let legal = folder.file(String(repeating: "é", count: 126))  // 252 bytes
    #expect(problem([flagged(legal)]) == nil)
    try AtomicFile.write([1, 2, 3], to: legal)
    #expect(try AtomicFile.readBytes(legal) == [1, 2, 3])
  }

  @Test func anInputIsNeverAnOutputHoweverItIsSpelled() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let data = folder.file("data.csv")
    try AtomicFile.write(Array("x,y\n1,2\n".utf8), to: data)
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("link.csv"), withDestinationPath: data)
    try FileManager.default.linkItem(atPath: data, toPath: folder.file("hard.csv"))
    let input = OutputGuard.Input(data, role: "'csv path=' on line 1")
    for spelling in [
      data, folder.path + "/./data.csv", folder.file("link.csv"), folder.file("hard.csv"),
    ] {
      let error = problem(
        [flagged(spelling, .predictions(header: nil))], inputs: [input], force: true)
      #expect(
        error?.message
          == "--output '\(spelling)': is also an input of this run ('csv path=' on line 1); writing it would destroy it",
        "\(spelling)")
    }
    #expect(try AtomicFile.readBytes(data) == Array("x,y\n1,2\n".utf8))
  }

  @Test func aResumedCheckpointMayBeReplacedByTheNewOne() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("m.safetensors")
    try writeCheckpoint(to: path)
    let resume = OutputGuard.Input(path, role: "--resume", replaceableBy: .checkpoint)
    #expect(problem([flagged(path, .checkpoint)], inputs: [resume]) == nil)
    #expect(
      problem([flagged(path, .plot)], inputs: [resume])?.message.contains(
        "is also an input of this run (--resume)") == true)
    // The same file also read as data: refused, whatever the order of the inputs.
    let data = OutputGuard.Input(path, role: "'csv path='")
    #expect(
      problem([flagged(path, .checkpoint)], inputs: [resume, data])?.message.contains(
        "is also an input of this run ('csv path=')") == true)
  }

  @Test func twoOutputsOnOnePathAreRefusedEvenWithForce() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let statement = OutputGuard.Origin(setting: "output predictions=", file: "m.txt", line: 6)
    let outputs = [
      OutputGuard.Output(
        folder.file("c.safetensors"), kind: .checkpoint,
        origin: .init(setting: "output checkpoint=", file: "m.txt", line: 6)),
      OutputGuard.Output(
        folder.path + "/./c.safetensors", kind: .predictions(header: nil), origin: statement),
    ]
    let error = problem(outputs, force: true)
    #expect(
      error?.description == """
        m.txt:6: error: output predictions='\(folder.path)/./c.safetensors': is also the path of 'output checkpoint='; one file would replace the other
        note: give each output its own path
        """)
  }

  @Test func anExistingFileIsReplacedOnlyWhenNNPipeWroteItAsTheSameKind() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let checkpoint = folder.file("c.safetensors")
    try writeCheckpoint(to: checkpoint)
    let plot = folder.file("loss.svg")
    try AtomicFile.write(
      Array(SVGPlot.lossChart(trainingLoss: [1, 0.5], title: "t", yLabel: "y").utf8), to: plot)
    let onnx = folder.file("m.onnx")
    try ONNXExporter().write(
      ONNXNetwork(inputSize: 1, layers: [.softmax], precision: .float), producerVersion: "1",
      to: onnx)
    let predictions = folder.file("p.csv")
    try AtomicFile.write(Array("label,p_a,p_b\na,0.9,0.1\n".utf8), to: predictions)
    let notes = folder.file("notes.txt")
    try AtomicFile.write(Array("my notes\n".utf8), to: notes)
    let foreignSVG = folder.file("drawing.svg")
    try AtomicFile.write(
      Array("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n".utf8),
      to: foreignSVG)

    let header = OutputGuard.Kind.predictions(header: "label,p_a,p_b")
    let kinds: [(String, OutputGuard.Kind)] = [
      (checkpoint, .checkpoint), (plot, .plot), (onnx, .onnx), (predictions, header),
    ]
    for (path, kind) in kinds {
      #expect(OutputGuard.isReplaceable(path, by: kind), "\(path)")
      #expect(problem([flagged(path, kind)]) == nil)
      for (other, otherKind) in kinds where other != path {
        #expect(!OutputGuard.isReplaceable(other, by: kind), "\(other) as \(kind)")
      }
      #expect(!OutputGuard.isReplaceable(notes, by: kind))
    }
    #expect(!OutputGuard.isReplaceable(foreignSVG, by: .plot))
    #expect(!OutputGuard.isReplaceable(predictions, by: .predictions(header: "label,p_a,p_c")))
    // Before the header is known, any text file passes; a binary one does not.
    #expect(OutputGuard.isReplaceable(notes, by: .predictions(header: nil)))
    #expect(!OutputGuard.isReplaceable(checkpoint, by: .predictions(header: nil)))

    let error = problem([flagged(notes, .checkpoint)])
    #expect(
      error?.description == """
        error: --output '\(notes)': refusing to overwrite: the file exists and is not an nnpipe checkpoint
        note: choose another path, move the file away, or add --force to replace it
        """)
    #expect(problem([flagged(notes, .checkpoint)], force: true) == nil)
    let late = OutputGuard(outputs: [flagged(predictions, .predictions(header: nil))], inputs: [])
    try late.check()
    #expect(throws: InputError.self) { try late.checkPredictions(header: "y\n1\n") }
    try late.checkPredictions(header: "label,p_a,p_b\nb,0.2,0.8\n")
  }

  @Test func everyProblemIsReportedAtItsStatement() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let model = folder.file("m.txt")
    try AtomicFile.write(
      Array(
        "data csv path=data.csv\nlayer dense units=1\noutput predictions=data.csv plot_loss=\"\" plot_fit=m.txt\n"
          .utf8), to: model)
    try AtomicFile.write(Array("x,y\n1,2\n".utf8), to: folder.file("data.csv"))
    let description = try ModelParser(registry: .standard()).parse(fileAt: model)
    let runGuard = OutputGuard(
      run: description, options: RunOptions(checkpointPath: folder.file("m.safetensors")),
      registry: .standard())
    let error = #expect(throws: InputErrors.self) { try runGuard.check() }
    let data = ModelDescription.absolutePath(folder.file("data.csv"), base: "/")
    let modelPath = ModelDescription.absolutePath(model, base: "/")
    #expect(
      error?.errors.map(\.description) == [
        "\(model):3: error: output predictions='\(data)': is also an input of this run ('csv path=' on line 1); writing it would destroy it\nnote: choose another path for the output",
        "\(model):3: error: output plot_loss='': the path is empty\nnote: give the name of a file to write",
        "\(model):3: error: output plot_fit='\(modelPath)': is also an input of this run (the model file); writing it would destroy it\nnote: choose another path for the output",
      ])
  }
}
