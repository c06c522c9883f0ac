import Foundation
import MyActivations
import NNCommandLine
import NNPipeline
import NNProtocols

// Helpers shared by the suites.

/// nnpipe's standard registry plus this package's activations: what `my-nnpipe` runs with.
func extendedRegistry() throws -> ComponentRegistry {
  var registry = ComponentRegistry.standard()
  try registry.registerMyActivations()
  return registry
}

/// The example package's folder (holding `Package.swift` and `model.txt`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The nnpipe repository's root, two levels above the example package.
let repositoryRoot = packageRoot.deletingLastPathComponent().deletingLastPathComponent()

/// What one command printed and returned.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs nnpipe's command line in this process with `registry` and a console that records: with
/// `extendedRegistry()` this is `my-nnpipe`, with `ComponentRegistry.standard()` the plain `nnpipe`.
func runTool(_ arguments: [String], registry: ComponentRegistry) -> CommandResult {
  let recorder = OutputRecorder()
  let console = Console(
    isTerminal: false, useColor: false, out: { recorder.append(out: $0) },
    error: { recorder.append(error: $0) })
  let status = CommandLineTool(registry: registry, console: console).run(arguments)
  return CommandResult(status: status, stdout: recorder.out, stderr: recorder.error)
}

/// Collects what a `Console` writes, from any thread.
final class OutputRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errorText = ""
  func append(out text: String) { lock.withLock { outText += text } }
  func append(error text: String) { lock.withLock { errorText += text } }
  var out: String { lock.withLock { outText } }
  var error: String { lock.withLock { errorText } }
}

/// The built `my-nnpipe` executable: in the same build folder as the test bundle.
let myNNPipeExecutable: URL = {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for _ in 0..<4 {
    let candidate = folder.appendingPathComponent("my-nnpipe")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    folder.deleteLastPathComponent()
  }
  return packageRoot.appendingPathComponent(".build/debug/my-nnpipe")
}()

/// Runs the built `my-nnpipe` with `arguments` in `directory`; returns its status and output.
func runMyNNPipe(_ arguments: [String], in directory: URL) throws -> CommandResult {
  let process = Process()
  process.executableURL = myNNPipeExecutable
  process.arguments = arguments
  process.currentDirectoryURL = directory
  var environment = ProcessInfo.processInfo.environment
  environment["NO_COLOR"] = "1"
  process.environment = environment
  let (out, err) = (Pipe(), Pipe())
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  // Read both pipes before waiting, so a large output cannot block the child.
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CommandResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder holding copies of `model.txt` and `inputs.csv`; the caller removes it.
func temporaryFolderWithModel() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "my-nnpipe-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  for name in ["model.txt", "inputs.csv"] {
    try FileManager.default.copyItem(
      at: packageRoot.appendingPathComponent(name), to: folder.appendingPathComponent(name))
  }
  return folder
}
