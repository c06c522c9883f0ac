import Foundation
import NNCommandLine
import NNProtocols
import Testing

/// Every registered alias, run through the binary as a user would write it, behaves exactly as its
/// canonical name: same resolved model, same trained figures, the same checkpoint and evaluation.
struct ComponentAliasTests {
  /// An iris model with `slot` filled in: a dense hidden layer (its activation and initializer) and a
  /// loss, with a softmax last when the loss expects probabilities of classes.
  static func irisModel(activation: String, initializer: String, loss: String, softmax: Bool)
    -> String
  {
    """
    data csv path="\(repositoryRoot.appendingPathComponent("Data/iris.csv").path)" target=species
    preprocess features=standardize
    layer dense units=6 activation=\(activation) init=\(initializer)
    layer dense units=3
    \(softmax ? "layer softmax" : "")
    loss \(loss)
    optimizer adam lr=0.02
    train epochs=15 batch=16 seed=4
    """
  }

  /// The figures of a `run --json`, without timings and paths.
  static func figures(_ result: CommandResult) throws -> NSDictionary {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let kept = object.filter { key, _ in
      !key.contains("seconds") && !key.contains("per_second") && key != "checkpoint"
        && key != "outputs"
    }
    return NSDictionary(dictionary: kept)
  }

  @Test func everyAliasRunsAndChecksLikeItsCanonicalName() throws {
    let registry = ComponentRegistry.standard()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // One model per alias: the alias in its slot, everything else at a fixed canonical choice.
    var cases: [(alias: String, canonical: String, text: (String) -> String)] = []
    let slots: [ComponentKind] = [.activation, .initializer, .loss]
    for kind in ComponentKind.allCases where !slots.contains(kind) {
      // A new kind of alias needs a slot in the model above.
      #expect(registry.allAliases(of: kind).isEmpty, "\(kind) aliases are not run")
    }
    for kind in slots {
      for alias in registry.allAliases(of: kind) {
        let canonical = try #require(registry.canonicalName(alias, of: kind))
        let loss = try registry.makeLoss(
          registry.reference(.loss, kind == .loss ? canonical : "cross_entropy"))
        let softmax = loss.expectedOutput == .probabilities && loss.targetEncoding == .classIndices
        cases.append(
          (
            alias, canonical,
            { name in
              Self.irisModel(
                activation: kind == .activation ? name : "tanh",
                initializer: kind == .initializer ? name : "glorot_uniform",
                loss: kind == .loss ? name : "cross_entropy", softmax: softmax)
            }
          ))
      }
    }
    #expect(cases.count >= 8, "aliases found: \(cases.map(\.alias))")
    // The same file name in two folders, so that everything but the alias is the same.
    let folders = ["alias", "canonical"].map { folder.appendingPathComponent($0) }
    for sub in folders {
      try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    }
    for (alias, canonical, text) in cases {
      let models = try zip(folders, [alias, canonical]).map { sub, name in
        try write(text(name), to: "model.txt", in: sub)
      }
      let runs = try models.map { try runProcess(["run", $0, "--json"]) }
      #expect(runs.allSatisfy { $0.status == 0 }, "\(alias): \(runs.map(\.stderr))")
      #expect(try Self.figures(runs[0]) == Self.figures(runs[1]), "\(alias) vs \(canonical)")
      // The checkpoints carry the canonical name: byte for byte the same, and so is evaluate.
      let checkpoints = folders.map { $0.appendingPathComponent("model.safetensors").path }
      let bytes = checkpoints.map { FileManager.default.contents(atPath: $0) }
      #expect(bytes[0] != nil && bytes[0] == bytes[1], "\(alias): checkpoints differ")
      let evaluations = try checkpoints.map { try runProcess(["evaluate", $0, "--json"]) }
      #expect(evaluations[0].status == 0 && evaluations[0].stdout == evaluations[1].stdout)
      // `check` prints the canonical name for both.
      let checks = try models.map { try runProcess(["check", $0]) }
      #expect(checks[0].stdout == checks[1].stdout, "\(alias): check differs")
      #expect(checks[0].stdout.contains(canonical), "\(alias): \(checks[0].stdout)")
      #expect(!checks[0].stdout.contains(alias), "\(alias) printed: \(checks[0].stdout)")
    }
  }

  @Test func categoricalCrossEntropyGivesTheSameAccuracyAndLossAsNLL() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var figures: [NSDictionary] = []
    for loss in ["categorical_cross_entropy", "nll"] {
      let model = try write(
        Self.irisModel(
          activation: "tanh", initializer: "glorot_uniform", loss: loss, softmax: true),
        to: "\(loss).txt", in: folder)
      let result = try runProcess(["run", model, "--json", "--no-save"])
      #expect(result.status == 0, "\(result.stderr)")
      figures.append(try Self.figures(result))
    }
    #expect(figures[0] == figures[1])
    let accuracy = try #require(figures[0]["accuracy"] as? Double)
    #expect(accuracy > 0.8, "accuracy \(accuracy)")
  }

  @Test func listShowsAliasesOnTheirEntryAndRequirementsFromTheDeclaration() throws {
    let result = try runProcess(["list"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("\n  identity (alias linear) — "))
    #expect(result.stdout.contains("\n  nll (alias categorical_cross_entropy) — "))
    #expect(result.stdout.contains("\n  glorot_uniform (alias xavier_uniform) — "))
    // No entry of its own: `linear` is also a data set, so look at the activations only.
    let activations = try runProcess(["list", "activations"]).stdout
    #expect(!activations.contains("\n  linear "))
    #expect(!result.stdout.contains("\n  categorical_cross_entropy "))
    let lines = result.stdout.split(separator: "\n")
    let rprop = try #require(lines.first { $0.hasPrefix("  rprop — ") })
    #expect(rprop.hasSuffix("; full batch only"), "\(rprop)")
    let adam = try #require(lines.first { $0.hasPrefix("  adam — ") })
    #expect(!adam.contains("full batch"), "\(adam)")
  }

  @Test func anUnknownNameSuggestsAnAlias() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(
      "data sine\nlayer dense units=4 activation=swich\nlayer dense units=1", to: "m.txt",
      in: folder)
    let result = try runProcess(["check", model])
    #expect(result.status == 64)
    #expect(result.stderr.contains("unknown activation 'swich'; did you mean 'swish'?"))
  }
}
