import Foundation
import Testing

/// `run --json`, `evaluate` (with and without DATA) and `predict` agree for every pairing of class
/// targets (class index, one-hot, 0/1, ±1) and outputs (softmax, logits, sigmoid, identity, one or
/// many units), through the built binary as a user runs it.
@Suite struct MetricsReportTests {
  /// One pairing: the output layers and the loss, and what `predict` should call its columns.
  struct Pairing: CustomStringConvertible, Sendable {
    var name: String
    var classes: Int
    var head: String
    var loss: String
    var probabilities: Bool
    var description: String { name }
  }

  static let pairings: [Pairing] = [
    Pairing(
      name: "softmax + nll (class indices)", classes: 3,
      head: "layer dense units=3\nlayer softmax", loss: "nll", probabilities: true),
    Pairing(
      name: "cross_entropy on logits (class indices)", classes: 3, head: "layer dense units=3",
      loss: "cross_entropy", probabilities: true),
    Pairing(
      name: "3 sigmoid units + mse (one-hot)", classes: 3,
      head: "layer dense units=3 activation=sigmoid", loss: "mse", probabilities: true),
    Pairing(
      name: "2 sigmoid units + mse (one-hot, two classes)", classes: 2,
      head: "layer dense units=2 activation=sigmoid", loss: "mse", probabilities: true),
    Pairing(
      name: "identity + mse on 3 classes (one-hot scores)", classes: 3,
      head: "layer dense units=3", loss: "mse", probabilities: false),
    Pairing(
      name: "one sigmoid + binary_cross_entropy (0/1)", classes: 2,
      head: "layer dense units=1 activation=sigmoid", loss: "binary_cross_entropy",
      probabilities: true),
    Pairing(
      name: "one unit + bce_with_logits (0/1)", classes: 2, head: "layer dense units=1",
      loss: "bce_with_logits", probabilities: true),
    Pairing(
      name: "one identity unit + mse (0/1 scores)", classes: 2, head: "layer dense units=1",
      loss: "mse", probabilities: false),
    Pairing(
      name: "one unit + hinge (±1)", classes: 2, head: "layer dense units=1", loss: "hinge",
      probabilities: false),
  ]

  /// Overlapping Gaussian-like clusters (a fixed linear congruential generator, so the file is the
  /// same on every machine): `classes` centers 3 apart, labels `c0`, `c1`, ….
  static func clusterCSV(classes: Int, rowsPerClass: Int = 40) -> String {
    var state: UInt64 = 0x1234_5678
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    func normal() -> Double {
      (0..<12).reduce(0) { total, _ in total + uniform() } - 6
    }
    let centers: [(Double, Double)] = [(0, 0), (3, 0), (0, 3)]
    var lines = ["x1,x2,label"]
    for row in 0..<(classes * rowsPerClass) {
      let label = row % classes
      let (cx, cy) = centers[label]
      lines.append("\(cx + 1.2 * normal()),\(cy + 1.2 * normal()),c\(label)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func json(_ result: CommandResult) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
  }

  static func matrix(_ metrics: [String: Any]?) -> [[Int]]? {
    (metrics?["confusion"] as? [String: Any])?["matrix"] as? [[Int]]
  }

  static func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-6) -> Bool {
    guard let a, let b else { return false }
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
  }

  @Test(arguments: pairings)
  func runEvaluateAndPredictAgree(_ pairing: Pairing) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = try write(Self.clusterCSV(classes: pairing.classes), to: "data.csv", in: folder)
    let model = try write(
      """
      data csv path=data.csv target=label
      split test=0.25 stratify=true
      preprocess features=standardize
      layer dense units=8 activation=tanh
      \(pairing.head)
      loss \(pairing.loss)
      optimizer adam lr=0.05
      train epochs=25 batch=16 seed=3
      """, to: "model.txt", in: folder)
    let checkpoint = folder.appendingPathComponent("model.safetensors").path

    let run = try runProcess(["run", model, "--json"])
    #expect(run.status == 0, "\(pairing): \(run.stderr)")
    let report = try Self.json(run)
    let classes = try #require(report["classes"] as? [String])
    #expect(classes == (0..<pairing.classes).map { "c\($0)" })
    let train = try #require(report["train"] as? [String: Any])
    let test = try #require(report["test"] as? [String: Any])
    let trainMatrix = try #require(Self.matrix(train))
    let testMatrix = try #require(Self.matrix(test))
    // The clusters overlap a little: a model read right is far above chance (and an inverted or
    // misread one far below).
    let testAccuracy = try #require(test["accuracy"] as? Double)
    #expect(testAccuracy > 0.75, "\(pairing): test accuracy \(testAccuracy)")
    #expect(report["accuracy"] as? Double == testAccuracy)
    #expect(trainMatrix.joined().reduce(0, +) == 30 * pairing.classes)
    #expect(testMatrix.joined().reduce(0, +) == 10 * pairing.classes)
    #expect(
      report["outputs_read_as"] as? String == (pairing.probabilities ? "probabilities" : "scores"))

    // evaluate without DATA: the test part, the same figures as run's test object.
    let onTest = try Self.json(try runProcess(["evaluate", checkpoint, "--json"]))
    #expect(onTest["accuracy"] as? Double == testAccuracy, "\(pairing)")
    #expect(Self.matrix(onTest) == testMatrix, "\(pairing)")
    // The same bits: evaluate prepares the same scaled test part that run reported on.
    #expect(onTest["loss"] as? Double == test["loss"] as? Double, "\(pairing)")
    // … and the same text: run's `test:` line is evaluate's figures line.
    let runTestLine = run.stderr.split(separator: "\n").first { $0.hasPrefix("test: ") }
    let evaluateText = try runProcess(["evaluate", checkpoint]).stdout.split(separator: "\n")
    #expect(evaluateText.count > 1)
    #expect(
      runTestLine.map { String($0.dropFirst("test: ".count)) }
        == evaluateText.dropFirst().first.map(String.init), "\(pairing)")

    // evaluate DATA (the whole file): its confusion is train's plus test's.
    let onAll = try Self.json(try runProcess(["evaluate", checkpoint, data, "--json"]))
    let allMatrix = try #require(Self.matrix(onAll))
    let summed = zip(trainMatrix, testMatrix).map { zip($0, $1).map { $0 + $1 } }
    #expect(allMatrix == summed, "\(pairing)")

    // predict: labels counted by hand give evaluate's accuracy and confusion matrix.
    let predicted = try runProcess(["predict", checkpoint, data])
    #expect(predicted.status == 0, "\(pairing): \(predicted.stderr)")
    let lines = predicted.stdout.split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",").map(String.init)
    let prefix = pairing.probabilities ? "p_" : "score_"
    #expect(header[0] == "label")
    #expect(header.dropFirst().allSatisfy { $0.hasPrefix(prefix) }, "\(pairing): \(header)")
    let truth = Self.clusterCSV(classes: pairing.classes).split(separator: "\n").dropFirst()
      .map { String($0.split(separator: ",")[2]) }
    #expect(lines.count - 1 == truth.count)
    var handConfusion = [[Int]](
      repeating: [Int](repeating: 0, count: pairing.classes), count: pairing.classes)
    for (line, label) in zip(lines.dropFirst(), truth) {
      let cells = line.split(separator: ",").map(String.init)
      let guess = try #require(classes.firstIndex(of: cells[0]))
      handConfusion[try #require(classes.firstIndex(of: label))][guess] += 1
      let values = cells.dropFirst().compactMap(Double.init)
      #expect(values.count == cells.count - 1)
      if pairing.probabilities {
        #expect(values.count == pairing.classes)
        #expect(values.allSatisfy { (0...1).contains($0) }, "\(pairing): \(line)")
        #expect(abs(values.reduce(0, +) - 1) < 1e-9, "\(pairing): \(line)")
        // The label is the most probable class.
        #expect(values[guess] == values.max(), "\(pairing): \(line)")
      }
    }
    #expect(handConfusion == allMatrix, "\(pairing)")
    let handAccuracy =
      Double((0..<pairing.classes).reduce(0) { $0 + handConfusion[$1][$1] }) / Double(truth.count)
    #expect(onAll["accuracy"] as? Double == handAccuracy, "\(pairing)")

    // --raw: the network's outputs, one column per output.
    let raw = try runProcess(["predict", checkpoint, data, "--raw"])
    let rawHeader = raw.stdout.split(separator: "\n").first.map(String.init)
    let outputs = pairing.head.contains("units=1") ? 1 : pairing.classes
    #expect(
      rawHeader == (1...outputs).map { "y\($0)" }.joined(separator: ","), "\(pairing)")
  }

  @Test func logitsOfOneOutputAreThresholdedAtZeroAndShownAsProbabilities() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = try write(Self.clusterCSV(classes: 2), to: "data.csv", in: folder)
    let model = try write(
      """
      data csv path=data.csv target=label
      preprocess features=standardize
      layer dense units=1
      loss bce_with_logits
      optimizer adam lr=0.1
      train epochs=20 batch=16 seed=1
      """, to: "model.txt", in: folder)
    #expect(try runProcess(["run", model, "--quiet"]).status == 0)
    let checkpoint = folder.appendingPathComponent("model.safetensors").path
    let raw = try runProcess(["predict", checkpoint, data, "--raw"]).stdout
      .split(separator: "\n").dropFirst().compactMap { Double($0) }
    let read = try runProcess(["predict", checkpoint, data]).stdout.split(separator: "\n")
    #expect(read.first == "label,p_c0,p_c1")
    #expect(raw.count == read.count - 1)
    // Logits well beyond [0, 1] exist, and every one is read as σ(z), class c1 exactly when z ≥ 0.
    #expect(raw.contains { abs($0) > 1 })
    for (z, line) in zip(raw, read.dropFirst()) {
      let cells = line.split(separator: ",")
      #expect(cells[0] == (z >= 0 ? "c1" : "c0"), "\(z): \(line)")
      let p = try #require(Double(cells[2]))
      #expect(abs(p - 1 / (1 + exp(-z))) < 1e-6, "\(z): \(line)")
    }
  }

  @Test func theLastProgressLineShowsTheValidationFiguresOfTheSummary() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(Self.clusterCSV(classes: 3), to: "data.csv", in: folder)
    // One-hot targets: the per-epoch validation accuracy reads the labels, as the summary does.
    let model = try write(
      """
      data csv path=data.csv target=label
      split validation=0.25
      preprocess features=standardize
      layer dense units=3 activation=sigmoid
      loss mse
      optimizer adam lr=0.05
      train epochs=12 batch=16 seed=2
      """, to: "model.txt", in: folder)
    let result = try runProcess(["run", model, "--no-save", "--log-every", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    let last = try #require(lines.first { $0.hasPrefix("epoch 12/12") })
    let validation = try #require(lines.first { $0.hasPrefix("validation: ") })
    let accuracy = try #require(
      validation.split(separator: " ").drop { $0 != "accuracy" }.dropFirst().first)
    #expect(last.contains("val_acc \(accuracy)"), "\(last) / \(validation)")
    #expect(Double(accuracy.dropLast()) ?? 0 > 75, "\(validation)")
  }

  @Test func jsonSaysTheBudgetTheRestoredEpochAndTheSameLossAsTheText() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(Self.clusterCSV(classes: 3), to: "data.csv", in: folder)
    // min_delta so large that only the first epoch counts as an improvement: it stops after epoch 2
    // and restores epoch 1.
    let model = try write(
      """
      data csv path=data.csv target=label
      split validation=0.2
      layer dense units=3
      loss cross_entropy
      optimizer adam lr=0.05
      train epochs=30 batch=16 seed=0
      early_stopping patience=1 min_delta=1000 monitor=loss restore_best=true
      """, to: "model.txt", in: folder)
    let result = try runProcess(["run", model, "--json", "--no-save"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.json(result)
    #expect(report["epochs"] as? Int == 30)
    #expect(report["epochs_run"] as? Int == 2)
    #expect(report["epochs_completed"] as? Int == 2)
    #expect(report["restored_epoch"] as? Int == 1)
    #expect(report["stop_reason"] as? String == "early_stopping")
    let train = try #require(report["train"] as? [String: Any])
    let validation = try #require(report["validation"] as? [String: Any])
    let loss = try #require(report["loss"] as? Double)
    #expect(train["loss"] as? Double == loss)
    #expect(report["last_epoch_loss"] as? Double != nil)
    #expect(report["val_loss"] as? Double == validation["loss"] as? Double)
    #expect(Self.matrix(validation) != nil)
    // The text prints the same final-weights figures.
    let lines = result.stderr.split(separator: "\n").map(String.init)
    let accuracy = try #require(train["accuracy"] as? Double)
    #expect(
      lines.contains(
        "train: loss \(String(format: "%.4g", loss))  accuracy "
          + String(format: "%.2f%%", accuracy * 100)), "\(result.stderr)")
    #expect(result.stderr.contains("restored the weights of epoch 1"))
  }

  @Test func regressionMetricsAreInTheDataUnitsInRunAndEvaluate() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(
      """
      data sine
      preprocess targets=standardize
      layer dense units=16 activation=tanh
      layer dense units=1
      loss mse
      optimizer adam lr=0.02
      train epochs=40 batch=16 seed=0 precision=double
      """, to: "model.txt", in: folder)
    let run = try runProcess(["run", model, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let report = try Self.json(run)
    #expect(report["target_scaling"] as? String == "standardize")
    let train = try #require(report["train"] as? [String: Any])
    let mse = try #require(train["mse"] as? Double)
    let checkpoint = folder.appendingPathComponent("model.safetensors").path
    let evaluated = try runProcess(["evaluate", checkpoint, "--json"])
    let onAll = try Self.json(evaluated)
    #expect(onAll["mse"] as? Double == mse)
    #expect(onAll["mae"] as? Double == train["mae"] as? Double)
    #expect(onAll["r2"] as? Double == train["r2"] as? Double)
    #expect(onAll["loss"] as? Double == train["loss"] as? Double)
    // The text lines are the same in both.
    let runLine = run.stderr.split(separator: "\n").first { $0.hasPrefix("train: ") }
    let text = try runProcess(["evaluate", checkpoint]).stdout.split(separator: "\n")
    #expect(
      runLine.map { String($0.dropFirst("train: ".count)) }
        == text.dropFirst().first.map(String.init))
    #expect(
      text.contains(
        "(loss: the trained mse on standardized targets; mse, mae, r2 in the data's units)"))

    // In the data's units: predict's outputs against sin(x), counted by hand.
    let xs = (0..<100).map { -5 + 0.1 * Double($0) }
    let input = try write(
      "x\n" + xs.map { "\($0)" }.joined(separator: "\n") + "\n", to: "x.csv", in: folder)
    let predictions = try runProcess(["predict", checkpoint, input]).stdout.split(separator: "\n")
      .dropFirst().compactMap { Double($0) }
    #expect(predictions.count == xs.count)
    let handMSE =
      zip(predictions, xs).map { ($0 - sin($1)) * ($0 - sin($1)) }.reduce(0, +) / Double(xs.count)
    #expect(Self.close(handMSE, mse, tolerance: 1e-9), "\(handMSE) vs \(mse)")
    // The loss is the same error on standardized targets: mse / variance of the targets.
    let mean = xs.map(sin).reduce(0, +) / Double(xs.count)
    let variance = xs.map { (sin($0) - mean) * (sin($0) - mean) }.reduce(0, +) / Double(xs.count)
    #expect(Self.close(train["loss"] as? Double, mse / variance, tolerance: 1e-6))
  }
}
