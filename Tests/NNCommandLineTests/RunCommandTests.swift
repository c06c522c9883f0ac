import Foundation
import Testing

/// `nnpipe run`, `check`, `predict`, `evaluate` and `gradcheck` on small models, through the binary.
struct RunCommandTests {
  /// A quick one-input regression: 1-8-1 tanh on a noisy line.
  let quickModel = """
    # a quick regression\r
    data linear count=64 slope=2 intercept=1 noise=0.05   # y = 2x + 1\r
    layer dense units=8 activation=tanh\r
    \tlayer dense units=1   \r
    optimizer adam lr=0.05
    train epochs=40 batch=16 seed=3
    """

  @Test func runTrainsSavesAChecksumAndReportsJSON() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(quickModel, to: "quick.txt", in: folder)
    let result = try runProcess(["run", model, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["epochs"] as? Int == 40)
    #expect(object["stop_reason"] as? String == "completed")
    #expect((object["train_seconds"] as? Double ?? -1) >= 0)
    #expect((object["samples_per_second"] as? Double ?? 0) > 0)
    #expect((object["loss"] as? Double ?? 1) < 0.1)
    let checkpoint = folder.appendingPathComponent("quick.safetensors").path
    #expect(object["checkpoint"] as? String == checkpoint)
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    // Human-readable output went to standard error.
    #expect(result.stderr.contains("trained 40 epochs (40/40)"))
    #expect(result.stderr.contains("saved \(checkpoint)"))
    // Not a terminal: plain lines, no control characters.
    #expect(!result.stderr.contains("\u{1B}"))
    #expect(!result.stderr.contains("\r"))
  }

  @Test func noSaveWritesNothingAndOutputNamesTheCheckpoint() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(quickModel, to: "quick.txt", in: folder)
    let unsaved = try runProcess(["run", model, "--no-save", "--quiet"])
    #expect(unsaved.status == 0)
    #expect(unsaved.stderr.isEmpty)
    #expect(
      !FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("quick.safetensors").path))
    let other = folder.appendingPathComponent("elsewhere.safetensors").path
    let saved = try runProcess(["run", model, "--output", other, "--quiet"])
    #expect(saved.status == 0)
    #expect(FileManager.default.fileExists(atPath: other))
  }

  @Test func runNeverOverwritesAFileThatIsNotACheckpoint() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(quickModel, to: "quick.txt", in: folder)
    let precious = try write("my notes, not a checkpoint\n", to: "quick.safetensors", in: folder)
    let result = try runProcess(["run", model])
    #expect(result.status == 64)
    #expect(
      result.stderr.hasPrefix(
        "\(model): error: the checkpoint (by default beside the model file) '\(precious)': "
          + "refusing to overwrite: the file exists and is not an nnpipe checkpoint"))
    #expect(try String(contentsOfFile: precious, encoding: .utf8) == "my notes, not a checkpoint\n")
  }

  @Test func setSeedAndEpochsOverrideTheFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(quickModel, to: "quick.txt", in: folder)
    let a = try runProcess([
      "run", model, "--no-save", "--json", "--epochs", "5", "--set", "optimizer.lr=0.01",
    ])
    let b = try runProcess([
      "run", model, "--no-save", "--json", "--set", "train.epochs=5", "--set", "optimizer.lr=0.01",
    ])
    let c = try runProcess([
      "run", model, "--no-save", "--json", "--epochs", "5", "--seed", "99", "--set",
      "optimizer.lr=0.01",
    ])
    func loss(_ result: CommandResult) throws -> Double {
      let object =
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      #expect(object?["epochs"] as? Int == 5)
      return object?["loss"] as? Double ?? .nan
    }
    #expect(try loss(a) == loss(b))  // same seed, same bits
    #expect(try loss(a) != loss(c))  // another seed, other weights
    let typo = try runProcess(["run", model, "--set", "optimizer.lrr=0.1"])
    #expect(typo.status == 64)
    #expect(
      typo.stderr.contains(
        "--set optimizer.lrr=0.1: unknown option 'lrr' for optimizer 'adam'; did you mean 'lr'?"))
  }

  @Test func checkPrintsTheResolvedDescriptionAndASummaryTable() throws {
    let sine = repositoryRoot.appendingPathComponent("Examples/sine.txt").path
    let result = try runProcess(["check", sine])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("optimizer sgd lr=0.1 momentum=0"))
    #expect(result.stdout.contains("0  dense  [batch, 20]   40          sigmoid"))
    #expect(result.stdout.contains("1  dense  [batch, 1]    21          identity"))
    #expect(result.stdout.contains("total parameters: 61"))
    // The resolved text is itself a valid model file.
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let resolved = result.stdout.components(separatedBy: "\n\n#")[0]
    let copy = try write(resolved, to: "resolved.txt", in: folder)
    #expect(try runProcess(["check", copy]).status == 0)
  }

  @Test func predictAndEvaluateUseOnlyTheCheckpoint() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let iris = repositoryRoot.appendingPathComponent("Data/iris.csv").path
    let model = try write(
      """
      data csv path=\(iris) target=species
      split test=0.2
      preprocess features=standardize
      layer dense units=8 activation=tanh
      layer dense units=3
      optimizer adam lr=0.02
      train epochs=60 batch=16 seed=1
      """, to: "iris.txt", in: folder)
    let run = try runProcess(["run", model, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    let checkpoint = folder.appendingPathComponent("iris.safetensors").path
    let input = try write(
      "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n",
      to: "flowers.csv", in: folder)
    let predict = try runProcess(["predict", checkpoint, input])
    #expect(predict.status == 0, "\(predict.stderr)")
    let lines = predict.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "label,p_setosa,p_versicolor,p_virginica")
    #expect(lines.count == 3)
    #expect(lines[1].hasPrefix("setosa,"))
    #expect(lines[2].hasPrefix("virginica,"))
    let probabilities = lines[1].split(separator: ",").dropFirst().compactMap { Double($0) }
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)

    let evaluate = try runProcess(["evaluate", checkpoint, iris, "--json"])
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
    let metrics =
      try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any]
    #expect(metrics?["samples"] as? Int == 150)
    #expect((metrics?["accuracy"] as? Double ?? 0) > 0.9)

    let onnx = folder.appendingPathComponent("iris.onnx").path
    let export = try runProcess(["export", checkpoint, onnx])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stderr == "wrote \(onnx): 2 layers, 4 inputs, float\n")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: onnx))
    #expect(bytes.count > 4 * (4 * 8 + 8 * 3))  // at least the weights
    #expect(String(decoding: bytes, as: UTF8.self).contains("layers.0.weight"))

    let wrongWidth = try write("1,2,3\n4,5,6\n", to: "three.csv", in: folder)
    let mismatch = try runProcess(["predict", checkpoint, wrongWidth])
    #expect(mismatch.status == 64)
    #expect(
      mismatch.stderr.hasPrefix(
        "\(wrongWidth): error: the file has 3 feature columns but the model takes 4 (sepal_length"))
  }

  @Test func gradcheckPassesOnTheTutorialNetworks() throws {
    for example in ["sine.txt", "xnor.txt", "iris.txt"] {
      let path = repositoryRoot.appendingPathComponent("Examples/\(example)").path
      let result = try runProcess(["gradcheck", path])
      #expect(result.status == 0, "\(example): \(result.stdout) \(result.stderr)")
      #expect(result.stdout.contains("layers.0.weight"))
      #expect(result.stdout.contains("all gradients match"))
    }
  }

  @Test func divergenceStopsWithStatusOneAndKeepsTheLastCheckpoint() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(quickModel, to: "quick.txt", in: folder)
    #expect(try runProcess(["run", model, "--quiet"]).status == 0)
    let checkpoint = folder.appendingPathComponent("quick.safetensors").path
    let before = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
    let result = try runProcess([
      "run", model, "--json", "--set", "optimizer=sgd", "--set", "optimizer.lr=1e12",
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("error: training diverged at epoch 1, batch"))
    #expect(result.stderr.contains("note: lower the learning rate (it was 1000000000000)"))
    #expect(
      result.stderr.contains("note: the previous checkpoint \(checkpoint) was left unchanged"))
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["stop_reason"] as? String == "diverged")
    #expect(object?["epochs_completed"] as? Int == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == before)
  }
}
