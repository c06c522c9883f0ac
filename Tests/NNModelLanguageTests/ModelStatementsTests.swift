import Foundation
import NNProtocols
import Testing

@testable import NNModelLanguage

@Suite("ModelStatement")
struct ModelStatementsTests {
  @Test("keywords are unique and in canonical order")
  func keywords() {
    let keywords = ModelStatement.allCases.map(\.keyword)
    #expect(Set(keywords).count == keywords.count)
    #expect(
      keywords == [
        "data", "split", "preprocess", "layer", "loss", "optimizer", "schedule", "train",
        "early_stopping", "weights", "output",
      ])
  }

  @Test("component statements name a kind and declare no keys; only layer repeats")
  func kinds() {
    for statement in ModelStatement.allCases {
      #expect((statement.componentKind != nil) == statement.options.isEmpty)
      #expect(statement.isRepeatable == (statement == .layer))
      #expect(!statement.summary.isEmpty)
    }
    #expect(ModelStatement.data.componentKind == .dataset)
    #expect(ModelStatement.optimizer.defaultComponent == "adam")
    #expect(ModelStatement.loss.defaultComponent == nil)
  }

  @Test(
    "every declared key has help, a unique name and a default that passes its own check",
    arguments: ModelStatement.allCases.filter { $0.componentKind == nil })
  func declaredKeys(_ statement: ModelStatement) {
    let names = statement.options.map(\.name)
    #expect(Set(names).count == names.count)
    for spec in statement.options {
      #expect(!spec.help.isEmpty)
      if let value = spec.defaultValue {
        #expect(spec.problem(with: value) == nil, "\(statement.keyword).\(spec.name)")
      }
    }
  }

  @Test("the declared defaults are the defaults of ModelDescription's settings")
  func defaultsAgree() {
    func defaults(_ statement: ModelStatement) -> Options {
      Options(statement.options.compactMap { spec in spec.defaultValue.map { (spec.name, $0) } })
    }
    #expect(SplitSettings(statementOptions: defaults(.split)) == SplitSettings())
    #expect(PreprocessSettings(statementOptions: defaults(.preprocess)) == PreprocessSettings())
    #expect(TrainingSettings(statementOptions: defaults(.train)) == TrainingSettings())
    #expect(
      EarlyStoppingSettings(statementOptions: defaults(.earlyStopping)) == EarlyStoppingSettings())
    #expect(OutputSettings(statementOptions: defaults(.output)) == OutputSettings())
    #expect(ModelStatement.weights.options.first?.defaultValue == nil)  // `from` is required
  }

  @Test("batch takes a positive integer or the word full")
  func batch() throws {
    let spec = try #require(ModelStatement.trainOptions.first { $0.name == "batch" })
    #expect(spec.problem(with: .integer(1)) == nil)
    #expect(spec.problem(with: .text("full")) == nil)
    #expect(spec.problem(with: .integer(0)) != nil)
    #expect(spec.problem(with: .text("half")) != nil)
  }

  @Test("only output's path keys accept words: auto and none for checkpoint, none for the others")
  func pathWords() {
    #expect(ModelStatement.output.pathWords(of: "checkpoint") == ["auto", "none"])
    #expect(ModelStatement.output.pathWords(of: "plot_fit") == ["none"])
    #expect(ModelStatement.weights.pathWords(of: "from") == [])
  }

  @Test(
    "Documentation/ModelLanguage.md lists every key with its type, range and default",
    arguments: ModelStatement.allCases.filter { $0.componentKind == nil })
  func documented(_ statement: ModelStatement) throws {
    let documentation = try String(contentsOf: Self.documentation, encoding: .utf8)
    #expect(documentation.contains("### `\(statement.keyword)"))
    for spec in statement.options {
      let row = documentation.split(separator: "\n").first {
        $0.hasPrefix("| `\(spec.name)` | \(spec.expectation)")
      }
      let defaultText = spec.defaultValue.map { "`\($0)`" } ?? "required"
      #expect(
        row?.contains(" | \(defaultText) | ") == true,
        "\(statement.keyword).\(spec.name): no row '| `\(spec.name)` | \(spec.expectation) | \(defaultText) |'"
      )
    }
  }

  /// The language's documentation, found from this file's place in the repository.
  static let documentation = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Documentation/ModelLanguage.md")
}
