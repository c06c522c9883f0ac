import Foundation
import Testing

@testable import NNONNX

/// Runs `python3` with `arguments`; returns its exit status, standard output and standard error (which
/// goes through a temporary file, so neither pipe can fill up and block the child).
private func runONNXPython(_ arguments: [String]) -> (status: Int32, output: String, errors: String)
{
  let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent(
    "nnpipe-python-\(UInt32.random(in: 0...UInt32.max)).err")
  guard FileManager.default.createFile(atPath: errorPath.path, contents: nil),
    let errorFile = try? FileHandle(forWritingTo: errorPath)
  else { return (-1, "", "cannot create \(errorPath.path)") }
  defer { try? FileManager.default.removeItem(at: errorPath) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3"] + arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardError = errorFile
  do { try process.run() } catch { return (-1, "", "\(error)") }
  let outputData = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  try? errorFile.close()
  // An empty file is not read: this Foundation's `String(contentsOf:)` leaks a 4 KiB buffer on one
  // (LeakSanitizer reports it, `Documentation/Reliability.md`).
  let size =
    (try? FileManager.default.attributesOfItem(atPath: errorPath.path))?[.size] as? NSNumber
  let errors =
    (size?.intValue ?? 0) == 0
    ? "" : (try? String(contentsOf: errorPath, encoding: .utf8)) ?? ""
  return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errors)
}

/// Whether `python3` can import `onnx`, `onnxruntime` and `numpy` (`pip install onnx onnxruntime numpy`).
let onnxRuntimeIsAvailable: Bool =
  runONNXPython(["-c", "import onnx, onnxruntime, numpy"]).status == 0

/// Checks exported models with the ONNX reference tools: `onnx.checker` (with shape inference),
/// protobuf's own parser (re-serializing must give back the very same bytes), and ONNX Runtime's
/// inference, compared with the direct forward pass to 1e-5.
@Suite struct ONNXRuntimeTests {
  /// Reads a JSON list of jobs `{model, rows, dtype}`; prints a JSON list of
  /// `{outputs, canonical}` or `{error}`.
  static let script = #"""
    import json, sys
    import numpy as np
    import onnx, onnxruntime as ort
    results = []
    for job in json.load(open(sys.argv[1])):
        try:
            raw = open(job["model"], "rb").read()
            model = onnx.load_from_string(raw)
            onnx.checker.check_model(model, full_check=True)
            canonical = model.SerializeToString() == raw
            session = ort.InferenceSession(raw, providers=["CPUExecutionProvider"])
            name = session.get_inputs()[0].name
            x = np.array(job["rows"], dtype=np.float32 if job["dtype"] == "float" else np.float64)
            y = session.run(None, {name: x})[0]
            results.append({"outputs": y.astype(np.float64).tolist(), "canonical": canonical,
                            "type": str(y.dtype)})
        except Exception as error:
            results.append({"error": str(error)})
    print(json.dumps(results))
    """#

  struct Job {
    var label: String
    var network: ONNXNetwork
  }

  /// Every activation case in float; in double those whose operators ONNX Runtime has double kernels
  /// for; and the classifier in both precisions.
  static func jobs() throws -> [Job] {
    var jobs: [Job] = []
    for activation in ONNXActivationCase.all {
      jobs.append(
        Job(label: "\(activation.testDescription) float", network: activation.network(.float)))
      let operators = try ONNXTestMath.roundTrip(activation.network(.double)).graph.nodes.map(
        \.opType)
      if operators.allSatisfy({
        !ONNXExporter.operatorsWithoutDoubleKernelsInONNXRuntime.contains($0)
      }) {
        jobs.append(
          Job(label: "\(activation.testDescription) double", network: activation.network(.double)))
      }
    }
    jobs.append(Job(label: "classifier float", network: ONNXExporterTests.classifier(.float)))
    jobs.append(Job(label: "classifier double", network: ONNXExporterTests.classifier(.double)))
    return jobs
  }

  @Test(
    .enabled(
      if: onnxRuntimeIsAvailable,
      "needs python3 with onnx, onnxruntime and numpy: pip install onnx onnxruntime numpy"))
  func onnxRuntimeMatchesTheForwardPass() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-onnxruntime-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }

    let rows = ONNXTestMath.randomRows(8, 3, scale: 3, seed: 99)
    let jobs = try Self.jobs()
    var specification: [[String: Any]] = []
    for (index, job) in jobs.enumerated() {
      let path = folder.appendingPathComponent("model\(index).onnx").path
      try ONNXExporter().write(job.network, producerVersion: "test", to: path)
      specification.append(["model": path, "rows": rows, "dtype": job.network.precision.rawValue])
    }
    let jobsPath = folder.appendingPathComponent("jobs.json").path
    let scriptPath = folder.appendingPathComponent("check.py").path
    try JSONSerialization.data(withJSONObject: specification).write(
      to: URL(fileURLWithPath: jobsPath))
    try Data(Self.script.utf8).write(to: URL(fileURLWithPath: scriptPath))

    let result = runONNXPython([scriptPath, jobsPath])
    try #require(result.status == 0, "python failed: \(result.errors)")
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    try #require(parsed.count == jobs.count)
    for (job, answer) in zip(jobs, parsed) {
      if let error = answer["error"] as? String {
        Issue.record("\(job.label): \(error)")
        continue
      }
      #expect(
        answer["canonical"] as? Bool == true, "\(job.label): protobuf re-serializes differently")
      #expect(
        answer["type"] as? String == (job.network.precision == .float ? "float32" : "float64"))
      let outputs = try #require(answer["outputs"] as? [[Double]], "\(job.label)")
      ONNXTestMath.expectClose(outputs, ONNXTestMath.forward(job.network, rows), tolerance: 1e-5)
    }
  }
}
