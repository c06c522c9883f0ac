import Foundation
import MyActivations
import NNModelLanguage
import NNPipeline
import NNProtocols
import Testing

/// `my-nnpipe` (Sources/my-nnpipe/main.swift): nnpipe's commands with the two activations registered,
/// and the plain nnpipe's answer to what it writes.
@Suite("my-nnpipe")
struct MyNNPipeTests {
  @Test("the program lists both activations with their options")
  func listsTheActivations() throws {
    let result = try runMyNNPipe(["list", "activation"], in: packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains("  scaled_tanh — \(ScaledTanh.summary)"))
    #expect(
      lines.contains(
        "      a=…  amplitude: the output lies in (-a, a) (a real number in (0, 100]; default 1.7159)"
      ))
    #expect(lines.contains { $0.hasPrefix("  gaussian — Gaussian bump") })
    #expect(lines.contains { $0.hasPrefix("  sigmoid — ") }, "the built-ins are still there")
  }

  @Test("model.txt parses with the extended registry: both activations with their options")
  func modelFileParses() throws {
    let path = packageRoot.appendingPathComponent("model.txt").path
    let description = try ModelParser(registry: extendedRegistry()).parse(fileAt: path)
    let activations = description.layers.map { $0.options.component("activation") }
    #expect(activations.map(\.name) == ["scaled_tanh", "gaussian", "identity"])
    #expect(activations[0].options.real("a") == 1.7159)
    #expect(activations[0].options.real("b") == 0.6667)
    #expect(activations[0].description == "scaled_tanh(a=1.7159, b=0.6667)")
  }

  @Test("the plain nnpipe rejects model.txt, naming each unknown activation's line and column")
  func plainNNPipeRejectsTheModel() throws {
    let path = packageRoot.appendingPathComponent("model.txt").path
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    let errors = #expect(throws: InputErrors.self) {
      try ModelParser(registry: .standard()).parse(fileAt: path)
    }
    let found = errors?.errors ?? []
    #expect(found.count == 2)
    for (error, name) in zip(found, ["scaled_tanh", "gaussian"]) {
      let line = try #require(lines.firstIndex { $0.contains("activation=\(name)") }) + 1
      let column =
        try #require(lines[line - 1].range(of: name)).lowerBound.utf16Offset(
          in: lines[line - 1]) + 1
      #expect(error.file == path && error.line == line && error.column == column)
      #expect(error.message.hasPrefix("unknown activation '\(name)'"))
    }
  }

  @Test("the program trains model.txt to a close fit and passes its gradient check")
  func trainsTheModel() throws {
    let folder = try temporaryFolderWithModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try runMyNNPipe(["run", "model.txt", "--json", "--no-save"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let r2 = try #require(report["r2"] as? Double)
    let loss = try #require(report["loss"] as? Double)
    #expect(r2 > 0.99, "sin(x) fitted with R² = \(r2)")
    #expect(loss < 0.01)
    #expect(report["epochs_run"] as? Int == 400)

    let check = try runMyNNPipe(["gradcheck", "model.txt"], in: folder)
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("all gradients match"))
  }

  @Test("a checkpoint from my-nnpipe loads in my-nnpipe and is refused by the plain nnpipe")
  func checkpointNeedsTheActivations() throws {
    let folder = try temporaryFolderWithModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try runMyNNPipe(["run", "model.txt", "--quiet", "--epochs", "20"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let checkpoint = folder.appendingPathComponent("model.safetensors").path
    let inputs = folder.appendingPathComponent("inputs.csv").path

    // my-nnpipe predicts from it, the same numbers as the library loaded with the same registry.
    let mine = try runMyNNPipe(["predict", "model.safetensors", "inputs.csv"], in: folder)
    #expect(mine.status == 0, "\(mine.stderr)")
    let model = try TrainedModel(checkpointAt: checkpoint, registry: extendedRegistry())
    let expected = try model.predict(model.readFeatures(csv: inputs))
    #expect(expected.rows == 5)
    let printed = mine.stdout.split(separator: "\n").dropFirst().compactMap { Double($0) }
    #expect(printed == expected.scalars)

    // The plain nnpipe (the standard registry) says which components it lacks.
    let message =
      "the checkpoint needs components this program does not have: "
      + "activation:scaled_tanh, activation:gaussian"
    let error = #expect(throws: InputError.self) {
      try TrainedModel(checkpointAt: checkpoint, registry: .standard())
    }
    #expect(error?.message == message)
    #expect(error?.file == checkpoint)
    let plain = runTool(["predict", checkpoint, inputs], registry: .standard())
    #expect(plain.status == 64)
    #expect(plain.stdout.isEmpty)
    #expect(plain.stderr.hasPrefix("\(checkpoint): error: \(message)\n"))
  }
}
