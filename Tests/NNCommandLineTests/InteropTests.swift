import Foundation
import Testing

/// Whether `python3` can import every module in `modules`.
func pythonCanImport(_ modules: [String]) -> Bool {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import " + modules.joined(separator: ", ")]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}

let pythonHasNumPyStack = pythonCanImport(["numpy", "safetensors", "onnxruntime"])

/// A checkpoint read by Python's `safetensors` and a NumPy forward pass, and the exported ONNX model run
/// by ONNX Runtime, both reproduce `nnpipe predict` (skipped when those packages are absent).
struct InteropTests {
  @Test(
    .enabled(
      if: pythonHasNumPyStack,
      "python3 with numpy, safetensors and onnxruntime is not installed (pip install them to run)"))
  func numpyAndONNXRuntimeReproducePredict() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let iris = repositoryRoot.appendingPathComponent("Data/iris.csv").path
    let model = try write(
      """
      data csv path=\(iris) target=species
      preprocess features=standardize
      layer dense units=8 activation=tanh
      layer dense units=3
      loss cross_entropy
      optimizer adam lr=0.02
      train epochs=30 batch=16 seed=4
      """, to: "iris.txt", in: folder)
    #expect(try runProcess(["run", model, "--quiet"]).status == 0)
    let checkpoint = folder.appendingPathComponent("iris.safetensors").path
    let onnx = folder.appendingPathComponent("iris.onnx").path
    #expect(try runProcess(["export", checkpoint, onnx]).status == 0)
    let predict = try runProcess(["predict", checkpoint, iris])
    #expect(predict.status == 0, "\(predict.stderr)")
    try predict.stdout.write(
      to: folder.appendingPathComponent("predict.csv"), atomically: true, encoding: .utf8)

    let script = """
      import json, sys
      import numpy as np
      import onnxruntime as ort
      from safetensors import safe_open
      from safetensors.numpy import load_file
      folder = sys.argv[1]
      data = np.genfromtxt(sys.argv[2], delimiter=",", skip_header=1, usecols=range(4))
      t = load_file(folder + "/iris.safetensors")
      with safe_open(folder + "/iris.safetensors", "np") as f:
          meta = f.metadata()
      scaler = json.loads(meta["preprocessing"])["features"]
      x = (data - np.array(scaler["offset"])) / np.array(scaler["scale"])
      # torch.nn.Linear's layout: weight [outputs, inputs], so y = x·Wᵀ + b.
      h = np.tanh(x @ t["layers.0.weight"].T.astype(np.float64) + t["layers.0.bias"])
      z = h @ t["layers.1.weight"].T.astype(np.float64) + t["layers.1.bias"]
      def softmax(z):
          e = np.exp(z - z.max(axis=1, keepdims=True))
          return e / e.sum(axis=1, keepdims=True)
      numpy_p = softmax(z)
      session = ort.InferenceSession(folder + "/iris.onnx")
      # cross_entropy takes logits: the export ends in the softmax, its output is "probabilities".
      (onnx_p,) = session.run(["probabilities"], {"input": data.astype(np.float32)})
      onnx_p = onnx_p.astype(np.float64)
      nnpipe_p = np.genfromtxt(folder + "/predict.csv", delimiter=",", skip_header=1)[:, 1:]
      print(float(np.abs(numpy_p - nnpipe_p).max()), float(np.abs(onnx_p - nnpipe_p).max()))
      """
    let scriptPath = try write(script, to: "check.py", in: folder)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", scriptPath, folder.path, iris]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let errors = text.split(separator: " ").compactMap {
      Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    #expect(errors.count == 2, "\(text)")
    #expect(errors.allSatisfy { $0 < 1e-5 }, "NumPy and ONNX Runtime against predict: \(errors)")
  }
}
