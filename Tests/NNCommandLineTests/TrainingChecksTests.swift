import Foundation
import Testing

/// What `run` and `check` refuse before training, and the defaults they choose, as a user meets them:
/// targets a loss cannot use, an optimizer's declared requirements, losses that do not suit the last
/// layer, and the default loss and optimizer.
struct TrainingChecksTests {
  /// Writes `text` as `model.txt` in a fresh folder and runs `arguments` (the model path appended).
  func run(_ text: String, _ arguments: [String], files: [String: String] = [:]) throws
    -> (result: CommandResult, model: String, folder: URL)
  {
    let folder = try temporaryFolder()
    for (name, content) in files { try write(content, to: name, in: folder) }
    let model = try write(text, to: "model.txt", in: folder)
    return (try runProcess(arguments + [model]), model, folder)
  }

  /// The `run --json` object of a successful run.
  func json(_ result: CommandResult) throws -> [String: Any] {
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  // MARK: - Targets

  @Test func binaryCrossEntropyOnSineTargetsNamesTheDataLineRowValueAndExpectation() throws {
    let (result, model, folder) = try run(
      "data sine\nlayer dense units=8 activation=tanh\nlayer dense units=1 activation=sigmoid\n"
        + "loss binary_cross_entropy\n",
      ["run", "--no-save"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    // sin(x) for x = −5, −4.9, …: the first value below 0 is sin(−3.1), the 20th row.
    #expect(
      result.stderr.hasPrefix(
        "\(model):1: error: loss 'binary_cross_entropy' cannot use the targets: data row 20 of "
          + "`data sine`: target -0.0415"), "\(result.stderr)")
    #expect(result.stderr.contains("is not a probability in [0, 1]"))
    #expect(result.stderr.contains("note: give targets in [0, 1]"))
  }

  @Test func aTargetProblemInACSVFileNamesTheFileAndItsDataRow() throws {
    let (result, _, folder) = try run(
      "data csv path=t.csv\nlayer dense units=1 activation=sigmoid\nloss binary_cross_entropy\n",
      ["check"], files: ["t.csv": "x,y\n0,0.5\n1,-0.5\n2,1\n"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    let csv = folder.appendingPathComponent("t.csv").path
    #expect(
      result.stderr.hasPrefix(
        "\(csv): error: loss 'binary_cross_entropy' cannot use the targets: data row 2: "
          + "target -0.5 is not a probability in [0, 1]\n"), "\(result.stderr)")
  }

  @Test func aTargetProblemCausedByScalingSaysSo() throws {
    let (result, _, folder) = try run(
      "data csv path=t.csv\npreprocess targets=standardize\nlayer dense units=1 activation=sigmoid\n"
        + "loss binary_cross_entropy\n",
      ["check"], files: ["t.csv": "x,y\n0,0.5\n1,0.2\n2,1\n3,0.9\n"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(
      result.stderr.contains(
        "cannot use the targets: data row 1: target -0.468"), "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "is not a probability in [0, 1] after `preprocess targets=standardize` (the data holds 0.5)"
      ), "\(result.stderr)")
  }

  @Test func hingeOnTwoClassLabelsTrainsThroughTheSignEncoding() throws {
    let (result, _, folder) = try run(
      "data moons\nlayer dense units=16 activation=tanh\nlayer dense units=1\nloss hinge\n"
        + "optimizer adam lr=0.01\ntrain epochs=60 seed=1\n",
      ["run", "--no-save", "--json"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let object = try json(result)
    // 50 % accuracy would leave the hinge loss near 1; learning the ±1 labels brings it far lower.
    let loss = try #require(object["loss"] as? Double)
    #expect(loss < 0.3, "hinge loss \(loss)")
  }

  @Test func hingeOnNumericZeroOneTargetsIsRefusedWithAHint() throws {
    let (result, _, folder) = try run(
      "data csv path=t.csv\nlayer dense units=1\nloss hinge\n", ["check"],
      files: ["t.csv": "x,y\n0,1\n1,0\n"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(result.stderr.contains("data row 2: target 0.0 is not -1 or +1"), "\(result.stderr)")
    #expect(result.stderr.contains("note: give the two labels as classes"))
  }

  // MARK: - Optimizer requirements

  @Test func rpropWithTheDefaultBatchIsRefusedNamingBatch() throws {
    let text =
      "data moons\nlayer dense units=8 activation=tanh\nlayer dense units=2\noptimizer rprop\n"
    let (result, model, folder) = try run(text, ["run", "--no-save"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(
      result.stderr.hasPrefix(
        "\(model):4: error: optimizer 'rprop' trains on the full batch only, but `train` option "
          + "'batch' is 32 (the default; no `train` line) and the training set has 200 samples; "
          + "expected batch=full (or batch ≥ 200)\nnote: write `train batch=full`"),
      "\(result.stderr)")

    let (withTrain, withTrainModel, folder2) = try run(
      text + "train epochs=5 batch=100\n", ["check"])
    defer { try? FileManager.default.removeItem(at: folder2) }
    #expect(withTrain.status == 64)
    #expect(
      withTrain.stderr.hasPrefix(
        "\(withTrainModel):5: error: optimizer 'rprop' trains on the full batch only, but `train` "
          + "option 'batch' is 100 and the training set has 200 samples"), "\(withTrain.stderr)")

    for batch in ["full", "200", "500"] {
      let (ok, _, folder3) = try run(
        text + "train epochs=5 batch=\(batch)\n", ["run", "--no-save", "--quiet"])
      defer { try? FileManager.default.removeItem(at: folder3) }
      #expect(ok.status == 0, "batch=\(batch): \(ok.stderr)")
    }
    // Not trained, nothing to require.
    let (untrained, _, folder4) = try run(text + "train epochs=0\n", ["check"])
    defer { try? FileManager.default.removeItem(at: folder4) }
    #expect(untrained.status == 0, "\(untrained.stderr)")
  }

  // MARK: - Losses against the last layer

  @Test func aClassIndexLossOnOneOutputAsksForOneOutputPerClass() throws {
    let (result, model, folder) = try run(
      "data moons\nlayer dense units=1\nloss cross_entropy\n", ["check"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "\(model):3: error: loss 'cross_entropy' reads class indices and needs one output per "
        + "class, but the last layer gives 1 output for 2 classes\n"
        + "note: use units=2 on the last layer, or `loss bce_with_logits` for one output\n")
  }

  @Test func nllAfterIndependentSigmoidsAsksForADistribution() throws {
    let iris = repositoryRoot.appendingPathComponent("Data/iris.csv").path
    let (result, model, folder) = try run(
      "data csv path=\"\(iris)\" target=species\nlayer dense units=3 activation=sigmoid\nloss nll\n",
      ["check"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "\(model):3: error: loss 'nll' expects each row to be a probability distribution over "
        + "the classes, but the last layer outputs sigmoid values that need not sum to 1\n"
        + "note: end with `layer softmax` after a layer with `activation=identity`, or use "
        + "`loss cross_entropy` without them\n")
  }

  @Test func bceWithLogitsAfterASigmoidNamesTheLossThatExpectsProbabilities() throws {
    let (result, model, folder) = try run(
      "data moons\nlayer dense units=1 activation=sigmoid\nloss bce_with_logits\n", ["check"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "\(model):3: error: loss 'bce_with_logits' applies the sigmoid itself and expects raw "
        + "scores (logits), but the last layer outputs sigmoid probabilities\n"
        + "note: use `activation=identity` on the last layer, or `loss binary_cross_entropy`\n")
  }

  // MARK: - Defaults

  @Test(
    "the default loss follows the last layer's declared output; check says it is a default",
    arguments: [
      ("data moons\nlayer dense units=1", "bce_with_logits"),
      ("data moons\nlayer dense units=1 activation=sigmoid", "binary_cross_entropy"),
      ("data moons\nlayer dense units=2", "cross_entropy"),
      ("data moons\nlayer dense units=2\nlayer softmax", "nll"),
      ("data moons\nlayer dense units=2 activation=sigmoid", "binary_cross_entropy"),
      ("data sine\nlayer dense units=4 activation=tanh\nlayer dense units=1", "mse"),
    ])
  func defaultLoss(text: String, loss: String) throws {
    let (result, _, folder) = try run(text + "\ntrain epochs=3\n", ["check"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        "loss: \(loss)") && result.stdout.contains(" (the default: no `loss` line)"),
      "\(result.stdout)")
    #expect(
      result.stdout.contains(
        "optimizer: adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, amsgrad=false) "
          + "(the default: no `optimizer` line)"), "\(result.stdout)")
    #expect(result.stdout.contains("# optimizer: not given; the default adam lr=0.001"))
  }

  @Test func twoClassesWithOneOutputAndNoLossLineTrains() throws {
    let (result, _, folder) = try run(
      "data moons\nlayer dense units=16 activation=tanh\nlayer dense units=1\n",
      ["run", "--no-save", "--json"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let object = try json(result)
    #expect((object["loss"] as? Double ?? 1) < 0.6)
  }

  @Test func anErrorAboutTheDefaultLossSaysItIsTheDefault() throws {
    let (result, model, folder) = try run(
      "data sine\nlayer dense units=1\nlayer softmax\n", ["check"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 64)
    #expect(
      result.stderr.hasPrefix(
        "\(model):3: error: the default loss 'mse' (no `loss` line) is a regression loss, but the "
          + "last layer outputs a probability distribution (softmax)\n"), "\(result.stderr)")
  }

  @Test func aFileWithAnOptimizerLineTrainsAsWritten() throws {
    // The default changed from sgd(lr=0.01) to adam: writing the old default still gives SGD.
    let text = "data moons\nlayer dense units=8 activation=tanh\nlayer dense units=1\nloss mse\n"
    let (sgd, _, folder) = try run(
      text + "optimizer sgd lr=0.01\ntrain epochs=20\n", ["run", "--no-save", "--json"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let (adam, _, folder2) = try run(
      text + "optimizer adam\ntrain epochs=20\n", ["run", "--no-save", "--json"])
    defer { try? FileManager.default.removeItem(at: folder2) }
    let (neither, _, folder3) = try run(text + "train epochs=20\n", ["run", "--no-save", "--json"])
    defer { try? FileManager.default.removeItem(at: folder3) }
    let losses = try [sgd, adam, neither].map { try json($0)["loss"] as? Double }
    #expect(losses[2] == losses[1] && losses[2] != losses[0], "\(losses)")
  }
}
