import Foundation
import Testing

/// `train step=` and `--step` on `run` and `bench`, through the binary.
struct StepOptionTests {
  let dropoutModel = """
    data sine start=-1 stop=1 step=0.1
    layer dense units=8 activation=tanh
    layer dropout rate=0.1
    layer dense units=1
    loss half_mse
    optimizer sgd lr=0.1
    train epochs=2 batch=full step=fused
    """

  /// A forced step that does not qualify: exit 64, naming the statement's place and the condition.
  @Test func aFusedStepOnANetworkThatDoesNotQualifyNamesTheCondition() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(dropoutModel, to: "dropout.txt", in: folder)
    let result = try runProcess(["run", model, "--no-save"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("\(model):7"), "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "train step=fused: the fused step does not qualify: every layer must be dense, and layer 1"
          + " is dropout"), "\(result.stderr)")
    // --step replaces the model's choice, and its refusal names the flag.
    let sharded = try runProcess(
      ["run", model, "--no-save", "--step", "sharded", "--threads", "2"])
    #expect(sharded.status == 64)
    #expect(
      sharded.stderr.contains(
        "--step sharded: the sharded step does not qualify: the first two layers must be dense"
          + " with biases, and layer 1 is dropout"), "\(sharded.stderr)")
    let reference = try runProcess(["run", model, "--no-save", "--step", "reference"])
    #expect(reference.status == 0, "\(reference.stderr)")
  }

  @Test func anUnknownStepIsAUsageError() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(dropoutModel, to: "dropout.txt", in: folder)
    let result = try runProcess(["run", model, "--no-save", "--step", "fast"])
    #expect(result.status == 64)
    #expect(
      result.stderr.contains("'--step' expects one of auto, reference, fused, sharded, not 'fast'"),
      "\(result.stderr)")
    let bench = try runProcess(["bench", "--only", "W5", "--step", "fused"])
    #expect(bench.status == 64)
    #expect(
      bench.stderr.contains(
        "--step fused: the fused step does not qualify: the loss must be a scaled sum of squared"
          + " errors"), "\(bench.stderr)")
  }

  /// W1's sine by the reference step lands on the automatic (fused) step's loss, to rounding.
  @Test func theReferenceStepGivesTheSineLossOfTheAutomaticStep() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sine = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Examples/sine.txt"), encoding: .utf8)
    let model = try write(
      sine.replacingOccurrences(
        of: "output plot_fit=sine-fit.svg plot_loss=sine-loss.svg", with: ""),
      to: "sine.txt", in: folder)
    var losses: [Double] = []
    for step in ["auto", "reference"] {
      let result = try runProcess(["run", model, "--no-save", "--json", "--step", step])
      #expect(result.status == 0, "\(result.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      losses.append(try #require(object["loss"] as? Double))
    }
    #expect(losses[0] < 0.02)
    #expect(abs(losses[0] - losses[1]) <= 1e-9 * losses[1], "\(losses)")
  }
}
