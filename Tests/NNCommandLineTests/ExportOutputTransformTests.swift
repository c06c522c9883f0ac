import Foundation
import NNONNX
import NNONNXTestSupport
import NNPipeline
import NNProtocols
import Testing

/// `nnpipe export` of a model trained with a loss over logits: the graph ends in the loss's softmax or
/// sigmoid, so its outputs are probabilities (named so); `--raw` keeps the logits (named so).
@Suite("export output transform")
struct ExportOutputTransformTests {
  /// Trains `model` in `folder`, exports it (with `extra` arguments), and returns the ONNX model, the
  /// checkpoint's raw outputs (logits) for `rows` and the ONNX model's outputs for them.
  func exported(_ model: String, extra: [String] = [], rows: [[Double]], in folder: URL) throws
    -> (model: ONNXModel, logits: [[Double]], onnx: [[Double]])
  {
    let path = try write(model, to: "model.txt", in: folder)
    let run = try runProcess(["run", path, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    let checkpoint = folder.appendingPathComponent("model.safetensors").path
    let onnx = folder.appendingPathComponent("model\(extra.joined()).onnx").path
    let export = try runProcess(["export", checkpoint, onnx] + extra)
    #expect(export.status == 0, "\(export.stderr)")
    let decoded = try ONNXModelReader.decode(
      [UInt8](try Data(contentsOf: URL(fileURLWithPath: onnx))))
    let trained = try TrainedModel(checkpointAt: checkpoint, registry: .standard())
    let x = Matrix<Double>(
      rows: rows.count, cols: rows[0].count, scalars: rows.flatMap { $0 })
    let logits = trained.predict(x)
    let logitRows = (0..<logits.rows).map { r in (0..<logits.cols).map { logits[r, $0] } }
    return (decoded, logitRows, try ONNXReferenceEvaluator(decoded).predict(rows))
  }

  static let rows: [[Double]] = [[-1, 0.5], [0.3, -0.2], [1.5, 0.1], [0.2, 0.9], [2, -0.5]]

  func softmax(_ row: [Double]) -> [Double] {
    let top = row.max() ?? 0
    let e = row.map { exp($0 - top) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
  }

  func expectClose(_ a: [[Double]], _ b: [[Double]], _ comment: String) {
    #expect(a.count == b.count, "\(comment)")
    let error = zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
    #expect(error < 1e-5, "\(comment): largest difference \(error)")
  }

  @Test func crossEntropyExportsSoftmaxProbabilitiesByDefaultAndLogitsWithRaw() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = """
      data spirals classes=3 count=30
      layer dense units=8 activation=tanh
      layer dense units=3
      loss cross_entropy
      optimizer adam lr=0.01
      train epochs=5 batch=16 seed=2
      """
    let result = try exported(model, rows: Self.rows, in: folder)
    let graph = result.model.graph
    #expect(graph.outputs.map(\.name) == ["probabilities"])
    let last = try #require(graph.nodes.last)
    #expect(last.opType == "Softmax")
    #expect(last.outputs == ["probabilities"])
    #expect(last.attributes.contains { $0.name == "axis" && $0.value == .int(-1) })
    #expect(graph.nodes.map(\.opType) == ["Gemm", "Tanh", "Gemm", "Softmax"])
    expectClose(result.onnx, result.logits.map(softmax), "ONNX vs softmax(logits)")
    for row in result.onnx { #expect(abs(row.reduce(0, +) - 1) < 1e-6) }

    let raw = try exported(model, extra: ["--raw"], rows: Self.rows, in: folder)
    #expect(raw.model.graph.outputs.map(\.name) == ["logits"])
    #expect(raw.model.graph.nodes.map(\.opType) == ["Gemm", "Tanh", "Gemm"])
    expectClose(raw.onnx, raw.logits, "ONNX --raw vs logits")
  }

  @Test func oneOutputWithLogitsExportsASigmoid() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try exported(
      """
      data moons count=40
      layer dense units=4 activation=tanh
      layer dense units=1
      loss bce_with_logits
      optimizer adam lr=0.01
      train epochs=5 batch=16 seed=2
      """, rows: Self.rows, in: folder)
    #expect(result.model.graph.outputs.map(\.name) == ["probabilities"])
    #expect(result.model.graph.nodes.last?.opType == "Sigmoid")
    expectClose(
      result.onnx, result.logits.map { $0.map { 1 / (1 + exp(-$0)) } }, "ONNX vs sigmoid(logits)")
  }

  @Test func aRegressionOutputIsLeftAsItIs() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try exported(
      """
      data linear count=32 slope=2 intercept=1
      layer dense units=4 activation=tanh
      layer dense units=1
      loss mse
      train epochs=3 seed=1
      """, rows: [[0.5], [-1]], in: folder)
    #expect(result.model.graph.outputs.map(\.name) == ["output"])
    #expect(result.model.graph.nodes.map(\.opType) == ["Gemm", "Tanh", "Gemm"])
    expectClose(result.onnx, result.logits, "ONNX vs outputs")
  }
}
