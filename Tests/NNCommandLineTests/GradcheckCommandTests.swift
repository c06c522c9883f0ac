import Foundation
import NNCommandLine
import NNProtocols
import NNTestSupport
import Testing

/// `nnpipe gradcheck`: believed when it passes, and failing when a derivative is wrong.
@Suite("gradcheck command")
struct GradcheckCommandTests {
  static let registry: ComponentRegistry = {
    var registry = ComponentRegistry.standard()
    try! registry.registerMisderivedTanh()
    return registry
  }()

  /// The `.txt` models in `Examples/`.
  static let examples: [String] =
    ((try? FileManager.default.contentsOfDirectory(
      atPath: repositoryRoot.appendingPathComponent("Examples").path)) ?? [])
    .filter { $0.hasSuffix(".txt") }.sorted()

  @Test func theExamplesAreFound() {
    #expect(Self.examples.count >= 8, "\(Self.examples)")
  }

  /// Every shipped example passes: the differentiable ones completely, the hand-set sign network by
  /// saying it has nothing differentiable to check (exit 0 either way).
  @Test(arguments: examples)
  func everyExampleInExamplesPasses(example: String) throws {
    let path = repositoryRoot.appendingPathComponent("Examples/\(example)").path
    let result = try runProcess(["gradcheck", path])
    #expect(result.status == 0, "\(example): \(result.stdout) \(result.stderr)")
    #expect(!result.stdout.contains("FAIL"), "\(example): \(result.stdout)")
    #expect(
      result.stdout.contains("all gradients match")
        || result.stdout.contains("nothing to check"), "\(example): \(result.stdout)")
  }

  @Test func aSignNetworkIsReportedAsNotDifferentiable() throws {
    let path = repositoryRoot.appendingPathComponent("Examples/conjunction.txt").path
    let result = try runProcess(["gradcheck", path])
    #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("layers.0.weight  "))
    #expect(result.stdout.contains("not differentiable (sign), skipped"))
    #expect(result.stdout.contains("without a derivative (sign)"))
    #expect(result.stdout.hasSuffix("nothing to check: no tensor has a derivative\n"))
  }

  @Test func aWrongDerivativeFailsWithStatusOneAndNamesTheTensor() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = """
      data moons count=40
      layer dense units=5 activation=misderived_tanh(factor=FACTOR)
      layer dense units=2
      loss cross_entropy
      """
    let wrong = try write(
      model.replacingOccurrences(of: "FACTOR", with: "1.001"), to: "wrong.txt", in: folder)
    let result = runInProcess(["gradcheck", wrong], registry: Self.registry)
    #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let weightLine = try #require(lines.first { $0.hasPrefix("layers.0.weight ") })
    #expect(weightLine.contains("FAIL (10 of 10)"), "\(weightLine)")
    #expect(lines.first { $0.hasPrefix("layers.1.weight ") }?.hasSuffix("ok") == true)
    #expect(
      lines.last?.hasPrefix("gradient check failed: layers.0.weight, layers.0.bias (|a − n| ≤")
        == true, "\(result.stdout)")

    let right = try write(
      model.replacingOccurrences(of: "FACTOR", with: "1"), to: "right.txt", in: folder)
    let passing = runInProcess(["gradcheck", right], registry: Self.registry)
    #expect(passing.status == 0, "\(passing.stdout) \(passing.stderr)")
    #expect(
      passing.stdout.contains("all gradients match (|a − n| ≤ 1.0e-10 + 1.0e-06·max(|a|, |n|))"))
  }

  @Test func toleranceIsTheRelativeToleranceAndJSONReportsTheWorstElements() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(
      """
      data moons count=40
      layer dense units=3 activation=misderived_tanh(factor=1.001)
      layer dense units=2
      loss cross_entropy
      """, to: "model.txt", in: folder)
    // Off by 1e-3: fails at rtol 1e-6 and 1e-4, passes at 1e-2.
    #expect(
      runInProcess(["gradcheck", model, "--tolerance", "1e-4"], registry: Self.registry).status == 1
    )
    let loose = runInProcess(["gradcheck", model, "--tolerance", "1e-2"], registry: Self.registry)
    #expect(loose.status == 0, "\(loose.stdout)")
    #expect(loose.stdout.contains("1.0e-02·max(|a|, |n|)"))

    let json = runInProcess(["gradcheck", model, "--json"], registry: Self.registry)
    #expect(json.status == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["passed"] as? Bool == false)
    #expect(object["rtol"] as? Double == 1e-6)
    #expect(object["atol"] as? Double == 1e-10)
    let tensors = try #require(object["tensors"] as? [[String: Any]])
    #expect(
      tensors.map { $0["name"] as? String } == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
      ])
    #expect(tensors.map { $0["status"] as? String } == ["fail", "fail", "ok", "ok"])
    let worst = try #require(tensors[0]["worst"] as? [String: Any])
    let analytic = try #require(worst["analytic"] as? Double)
    let numerical = try #require(worst["numerical"] as? Double)
    #expect(abs(analytic / numerical - 1.001) < 1e-8)
    #expect((worst["index"] as? [Int])?.count == 2)
    #expect(tensors[0]["shape"] as? [Int] == [3, 2])

    for bad in [["--tolerance", "0"], ["--atol", "-1"], ["--tolerance", "x"]] {
      let result = runInProcess(["gradcheck", model] + bad, registry: Self.registry)
      #expect(result.status == 64, "\(bad)")
      #expect(result.stderr.contains("expected a positive number"), "\(result.stderr)")
    }
  }

  @Test func aSignNetworkInJSONSaysNotDifferentiable() throws {
    let path = repositoryRoot.appendingPathComponent("Examples/conjunction.txt").path
    let result = runInProcess(["gradcheck", path, "--json"])
    #expect(result.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let tensors = try #require(object["tensors"] as? [[String: Any]])
    #expect(tensors.allSatisfy { $0["status"] as? String == "not_differentiable" })
    #expect(tensors.allSatisfy { $0["activation"] as? String == "sign" })
  }

  /// Zero first-layer weights put every ReLU input exactly at 0: the loss has a kink at every weight
  /// of that layer, which is skipped and counted, not failed.
  @Test func kinksAreSkippedAndCounted() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(
      """
      data moons count=20
      layer dense units=3 activation=relu init=zeros bias=false
      layer dense units=2
      loss cross_entropy
      """, to: "kink.txt", in: folder)
    let result = runInProcess(["gradcheck", model])
    #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.first { $0.hasPrefix("layers.0.weight ") }?.hasSuffix(
        "every element at a kink, skipped") == true)
    #expect(lines.first { $0.hasPrefix("layers.1.bias ") }?.hasSuffix("  ok") == true)
    #expect(
      lines.contains(
        "note: 6 elements had a kink of the loss within every step tried and were skipped"))
    #expect(lines.last?.hasPrefix("all checked gradients match") == true)
  }
}
