import Foundation
import Testing

/// Every example model file checks, and the quick ones train to their documented outcome.
struct ExamplesTests {
  static let examples = [
    "sine.txt", "xnor.txt", "conjunction.txt", "vanishing-sigmoid.txt", "vanishing-relu.txt",
    "iris.txt", "digits.txt", "spirals.txt",
  ]

  /// Runs an example in a scratch copy of Examples/ (so its outputs land there), with extra flags.
  func runExample(_ name: String, _ flags: [String]) throws -> (CommandResult, URL) {
    let folder = try temporaryFolder()
    let examples = folder.appendingPathComponent("Examples")
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("Examples"), to: examples)
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("Data"), to: folder.appendingPathComponent("Data"))
    let result = try runProcess(["run", examples.appendingPathComponent(name).path] + flags)
    return (result, examples)
  }

  @Test(arguments: examples)
  func everyExampleChecks(_ name: String) throws {
    let result = try runProcess([
      "check", repositoryRoot.appendingPathComponent("Examples/\(name)").path,
    ])
    #expect(result.status == 0, "\(name): \(result.stderr)")
    #expect(result.stdout.contains("total parameters:"))
  }

  @Test func sineFitsAndWritesItsPlots() throws {
    let (result, folder) = try runExample("sine.txt", ["--json"])
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect((object?["loss"] as? Double ?? 1) < 0.02)
    for file in ["sine.safetensors", "sine-fit.svg", "sine-loss.svg"] {
      #expect(
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
    }
    let fit = try String(contentsOf: folder.appendingPathComponent("sine-fit.svg"), encoding: .utf8)
    #expect(fit.hasPrefix("<?xml") || fit.hasPrefix("<svg"))
    #expect(fit.contains("prediction") && fit.contains("target"))
  }

  @Test func xnorPutsAllFourOutputsOnTheRightSide() throws {
    let (result, folder) = try runExample(
      "xnor.txt", ["--no-save", "--set", "output.predictions=p.csv"])
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(result.status == 0, "\(result.stderr)")
    let csv = try String(contentsOf: folder.appendingPathComponent("p.csv"), encoding: .utf8)
    let outputs = csv.split(separator: "\n").dropFirst().compactMap { Double($0) }
    #expect(outputs.count == 4)
    // Rows (0,0), (0,1), (1,0), (1,1): XNOR is 1, 0, 0, 1.
    #expect(
      outputs[0] > 0.5 && outputs[1] < 0.5 && outputs[2] < 0.5 && outputs[3] > 0.5, "\(outputs)")
  }

  @Test func conjunctionEvaluatesTheHandSetPerceptrons() throws {
    let (result, folder) = try runExample(
      "conjunction.txt", ["--no-save", "--set", "output.predictions=p.csv"])
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(result.status == 0, "\(result.stderr)")
    let csv = try String(contentsOf: folder.appendingPathComponent("p.csv"), encoding: .utf8)
    let outputs = csv.split(separator: "\n").dropFirst().compactMap { Double($0) }
    #expect(!outputs.isEmpty)
    #expect(Set(outputs).isSubset(of: [-1, 1]))
    // Every sample's output equals its label: −1 in s1…s3, +1 in s4.
    #expect(result.stderr.contains("mse 0 "), "\(result.stderr)")
  }

  @Test func irisClassifiesTheTestPart() throws {
    let (result, folder) = try runExample("iris.txt", ["--no-save", "--json"])
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect((object?["test_accuracy"] as? Double ?? 0) >= 0.9)
    #expect(
      result.stderr.contains("confusion matrix (test; rows: true class, columns: predicted):"))
  }

  @Test func spiralsWritesADecisionRegionPlot() throws {
    let (result, folder) = try runExample("spirals.txt", ["--no-save", "--epochs", "40"])
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(result.status == 0, "\(result.stderr)")
    let svg = try String(
      contentsOf: folder.appendingPathComponent("spirals-regions.svg"), encoding: .utf8)
    #expect(svg.contains("Decision regions"))
  }

  @Test func vanishingGradientExamplesShowTheGap() throws {
    let (sigmoid, sigmoidFolder) = try runExample(
      "vanishing-sigmoid.txt", ["--no-save", "--epochs", "3"])
    defer { try? FileManager.default.removeItem(at: sigmoidFolder.deletingLastPathComponent()) }
    #expect(sigmoid.status == 0, "\(sigmoid.stderr)")
    let svg = try String(
      contentsOf: sigmoidFolder.appendingPathComponent("vanishing-sigmoid-gradients.svg"),
      encoding: .utf8)
    #expect(svg.contains("layers.0.weight") && svg.contains("layers.7.weight"))
  }
}
