import Foundation
import Testing

// Documentation/Reliability.md lists what these tests prove.

/// A run that would train for minutes: a refusal that comes in seconds came before training.
private let slowModel = """
  data csv path=data.csv
  layer dense units=4 activation=tanh
  layer dense units=1
  train epochs=1000000 batch=10

  """

/// Twenty samples of y = x².
private let dataCSV =
  "x,y\n" + (0..<20).map { "\(Double($0) / 10),\(Double($0 * $0) / 100)" }.joined(separator: "\n")
  + "\n"

/// A quick model of the same data (two epochs).
private let quickModel = slowModel.replacingOccurrences(of: "epochs=1000000", with: "epochs=2")

/// A folder with `m.txt` (the slow model, `extra` appended), `data.csv`, `in.csv` (samples to
/// predict), `prev.safetensors` (a checkpoint of the quick model) and `notes.txt`.
private func outputFolder(_ extra: String = "") throws -> URL {
  let folder = try temporaryFolder()
  try write(slowModel + extra, to: "m.txt", in: folder)
  try write(dataCSV, to: "data.csv", in: folder)
  try write("x\n0.5\n", to: "in.csv", in: folder)
  try write("my notes\n", to: "notes.txt", in: folder)
  try write(quickModel, to: "q.txt", in: folder)
  let made = try runProcess(
    ["run", "q.txt", "--output", "prev.safetensors", "--quiet"], in: folder)
  guard made.status == 0 else { throw ReliabilityFixture.FixtureError(message: made.stderr) }
  try FileManager.default.removeItem(at: folder.appendingPathComponent("q.txt"))
  return folder
}

@Suite struct OutputGuardCommandTests {
  /// Runs `arguments` in a fresh folder (`extra` added to the model) and checks the refusal: status
  /// 64, exactly `message` (`FOLDER` for the folder) on standard error, in less than 20 s (no training:
  /// the model asks for a million epochs), and every file byte for byte as it was, none added.
  func expectRefusal(
    _ arguments: [String], model extra: String = "", _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let folder = try outputFolder(extra)
    defer { try? FileManager.default.removeItem(at: folder) }
    let before = try snapshot(folder)
    let started = Date()
    let result = try runProcess(arguments, in: folder)
    let seconds = Date().timeIntervalSince(started)
    #expect(result.status == 64, sourceLocation: sourceLocation)
    #expect(
      result.stderr == message.replacingOccurrences(of: "FOLDER", with: folder.path) + "\n",
      sourceLocation: sourceLocation)
    #expect(seconds < 20, "refused after \(seconds) s", sourceLocation: sourceLocation)
    let untouched = try snapshot(folder) == before
    #expect(untouched, "a file was added, removed or modified", sourceLocation: sourceLocation)
  }

  @Test func anOutputStatementNeverReplacesAnInput() throws {
    try expectRefusal(
      ["run", "m.txt"], model: "output predictions=data.csv\n",
      """
      m.txt:5: error: output predictions='FOLDER/data.csv': is also an input of this run ('csv path=' on line 1); writing it would destroy it
      note: choose another path for the output
      """)
    try expectRefusal(
      ["run", "m.txt", "--force"], model: "output plot_loss=m.txt\n",
      """
      m.txt:5: error: output plot_loss='FOLDER/m.txt': is also an input of this run (the model file); writing it would destroy it
      note: choose another path for the output
      """)
  }

  @Test func anOutputNeverReplacesAFileOfAnotherKind() throws {
    try expectRefusal(
      ["run", "m.txt"], model: "output plot_loss=prev.safetensors\n",
      """
      m.txt:5: error: output plot_loss='FOLDER/prev.safetensors': refusing to overwrite: the file exists and is not an SVG plot written by nnpipe
      note: choose another path, move the file away, or add --force to replace it
      """)
    try expectRefusal(
      ["run", "m.txt", "--output", "notes.txt"],
      """
      error: --output 'notes.txt': refusing to overwrite: the file exists and is not an nnpipe checkpoint
      note: choose another path, move the file away, or add --force to replace it
      """)
    try expectRefusal(
      ["export", "prev.safetensors", "notes.txt"],
      """
      error: OUTPUT 'notes.txt': refusing to overwrite: the file exists and is not an ONNX model written by nnpipe
      note: choose another path, move the file away, or add --force to replace it
      """)
    // A predictions CSV of another model (its header differs) is refused once the header is known,
    // still before training.
    try expectRefusal(
      ["run", "m.txt"], model: "output predictions=in.csv\n",
      """
      m.txt:5: error: output predictions='FOLDER/in.csv': refusing to overwrite: the file exists and is not a predictions CSV written by nnpipe
      note: choose another path, move the file away, or add --force to replace it
      """)
  }

  @Test func twoOutputsOnOnePathAreRefused() throws {
    try expectRefusal(
      ["run", "m.txt"], model: "output checkpoint=c.safetensors predictions=c.safetensors\n",
      """
      m.txt:5: error: output predictions='FOLDER/c.safetensors': is also the path of 'output checkpoint='; one file would replace the other
      note: give each output its own path
      """)
  }

  @Test func predictAndExportNeverReplaceTheirInput() throws {
    try expectRefusal(
      ["predict", "prev.safetensors", "in.csv", "--output", "in.csv", "--force"],
      """
      error: --output 'in.csv': is also an input of this run (the INPUT argument); writing it would destroy it
      note: choose another path for the output
      """)
    try expectRefusal(
      ["export", "prev.safetensors", "./prev.safetensors", "--force"],
      """
      error: OUTPUT './prev.safetensors': is also an input of this run (the CHECKPOINT argument); writing it would destroy it
      note: choose another path for the output
      """)
  }

  @Test func emptyPathsAreRefusedNotACrash() throws {
    let empty = "the path is empty\nnote: give the name of a file to write"
    try expectRefusal(["run", "m.txt", "--output", ""], "error: --output '': \(empty)")
    try expectRefusal(
      ["run", "m.txt"], model: "output checkpoint=\"\"\n",
      "m.txt:5: error: output checkpoint='': \(empty)")
    try expectRefusal(
      ["run", "m.txt"], model: "output plot_loss=\"\"\n",
      "m.txt:5: error: output plot_loss='': \(empty)")
    try expectRefusal(
      ["predict", "prev.safetensors", "in.csv", "--output", ""], "error: --output '': \(empty)")
    try expectRefusal(["export", "prev.safetensors", ""], "error: OUTPUT '': \(empty)")
  }

  @Test func aBadFolderIsFoundBeforeTraining() throws {
    try expectRefusal(
      ["run", "m.txt", "--output", "nowhere/x.safetensors"],
      """
      error: --output 'nowhere/x.safetensors': the folder 'nowhere' does not exist
      note: create the folder first, or choose another path
      """)
    // Root writes any folder whatever its mode, so as root a folder of a file system that refuses
    // new files stands in for a read-only one.
    let locked = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: locked) }
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
    let readOnly = geteuid() == 0 ? "/sys" : locked.path
    try expectRefusal(
      ["run", "m.txt", "--output", "\(readOnly)/x.safetensors"],
      """
      error: --output '\(readOnly)/x.safetensors': cannot create a file in the folder '\(readOnly)': Permission denied
      note: choose a folder you can write to
      """)
    let long = String(repeating: "n", count: 256)
    try expectRefusal(
      ["run", "m.txt", "--output", long],
      """
      error: --output '\(long)': the file name is 256 bytes long; the file system allows at most 255
      note: choose a shorter name
      """)
  }

  @Test func aLegalLongNameIsWritten() throws {
    let folder = try outputFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(quickModel, to: "q.txt", in: folder)
    let name = String(repeating: "n", count: 240) + ".safetensors"  // 252 bytes
    let result = try runProcess(["run", "q.txt", "--output", name, "--quiet"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(isCompleteSafetensors(contents(folder.appendingPathComponent(name)) ?? []))
    let exported = try runProcess(["export", name, String(name.prefix(247)) + ".onnx"], in: folder)
    #expect(exported.status == 0, "\(exported.stderr)")
  }

  @Test func forceReplacesAFileThatIsNotAnInput() throws {
    let folder = try outputFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let exported = try runProcess(
      ["export", "prev.safetensors", "notes.txt", "--force"], in: folder)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(contents(folder.appendingPathComponent("notes.txt"))?.first == 0x08)
    // Now an ONNX model nnpipe wrote: replaced without --force.
    let again = try runProcess(["export", "prev.safetensors", "notes.txt"], in: folder)
    #expect(again.status == 0, "\(again.stderr)")
    try write("my notes\n", to: "notes.txt", in: folder)
    try write(quickModel, to: "q.txt", in: folder)
    let run = try runProcess(
      ["run", "q.txt", "--output", "notes.txt", "--force", "--quiet"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(isCompleteSafetensors(contents(folder.appendingPathComponent("notes.txt")) ?? []))
    // The outputs of a run replace those of the previous run without --force.
    let outputs = "output plot_loss=loss.svg predictions=p.csv checkpoint=c.safetensors\n"
    try write(quickModel + outputs, to: "q.txt", in: folder)
    for round in 1...2 {
      let result = try runProcess(["run", "q.txt", "--quiet"], in: folder)
      #expect(result.status == 0, "round \(round): \(result.stderr)")
    }
  }

  @Test func strayTemporaryFilesOfKilledWritesAreCleanedByTheNextWrite() throws {
    let folder = try outputFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(quickModel, to: "q.txt", in: folder)
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/sh")
    gone.arguments = ["-c", "exit 0"]
    try gone.run()
    gone.waitUntilExit()
    let stray = ".prev.safetensors.tmp-\(gone.processIdentifier)-1234abcd"
    try Data(count: 1_000_000).write(to: folder.appendingPathComponent(stray))
    let live = ".prev.safetensors.tmp-\(getpid())-1234abcd"
    try Data(count: 10).write(to: folder.appendingPathComponent(live))
    let result = try runProcess(["run", "q.txt", "--output", "prev.safetensors"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(temporaryFiles(of: "prev.safetensors", in: folder) == [live])
  }
}
