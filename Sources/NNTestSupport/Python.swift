import Foundation

/// Whether `python3` can import `safetensors` and `numpy` (the interoperability tests need them).
public let pythonHasSafetensors: Bool = runPython(["-c", "import safetensors, numpy"]) != nil

/// Runs `python3` with `arguments`; its standard output, or `nil` if it could not run or failed.
public func runPython(_ arguments: [String]) -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3"] + arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  do { try process.run() } catch { return nil }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else { return nil }
  return String(decoding: data, as: UTF8.self)
}
