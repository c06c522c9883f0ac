import Foundation
import NNCommandLine
import NNProtocols

/// What a run of nnpipe printed and returned.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// The built `nnpipe` executable: beside the test bundle in SwiftPM's build folder.
let nnpipeExecutable: URL = {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for _ in 0..<4 {
    let candidate = folder.appendingPathComponent("nnpipe")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    folder.deleteLastPathComponent()
  }
  return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("nnpipe")
}()

/// The repository's root (for `Examples/` and `Data/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Runs the built binary with `arguments` in `directory`, with `NO_COLOR` set and standard input
/// closed; returns its exit status and output.
func runProcess(
  _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]
) throws -> CommandResult {
  let process = Process()
  process.executableURL = nnpipeExecutable
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  var environment = ProcessInfo.processInfo.environment
  environment["NO_COLOR"] = "1"
  for (key, value) in extra { environment[key] = value }
  process.environment = environment
  let out = Pipe()
  let err = Pipe()
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

/// Runs the command line in this process with a console that records (fast; same code path as the
/// binary's after argument splitting).
func runInProcess(_ arguments: [String], registry: ComponentRegistry = .standard()) -> CommandResult
{
  let recorder = OutputRecorder()
  let console = Console(
    isTerminal: false, useColor: false, out: { recorder.append(out: $0) },
    error: { recorder.append(error: $0) })
  let status = CommandLineTool(registry: registry, console: console).run(arguments)
  return CommandResult(status: status, stdout: recorder.out, stderr: recorder.error)
}

final class OutputRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errorText = ""
  func append(out text: String) { lock.withLock { outText += text } }
  func append(error text: String) { lock.withLock { errorText += text } }
  var out: String { lock.withLock { outText } }
  var error: String { lock.withLock { errorText } }
}

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "nnpipe-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Writes `text` to `name` in `folder` and returns its path.
@discardableResult
func write(_ text: String, to name: String, in folder: URL) throws -> String {
  let url = folder.appendingPathComponent(name)
  try text.write(to: url, atomically: true, encoding: .utf8)
  return url.path
}
