import Foundation
import NNKernels
import NNProtocols
import Testing

@testable import NNCommandLine

/// Typed command arguments: each declared once (spec and accessor in one `Argument`), filled and
/// checked when the command line is parsed, read back as `arguments[declaration]`.
struct ArgumentsTests {
  /// The names a test read through their typed accessors, per command.
  final class Coverage {
    var names: [String: Set<String>] = [:]

    /// Expects `arguments[argument] == expected` and records that `command` read `argument`.
    func read<Value: Equatable>(
      _ arguments: ParsedArguments, _ argument: Argument<Value>, _ expected: Value,
      of command: Command, sourceLocation: SourceLocation = #_sourceLocation
    ) {
      #expect(
        arguments[argument] == expected, "\(command.name) \(argument.spec.name)",
        sourceLocation: sourceLocation)
      names[command.name, default: []].insert(argument.spec.name)
    }
  }

  @Test func everyDeclaredArgumentOfEveryCommandIsReadByItsTypedAccessor() throws {
    let coverage = Coverage()
    func parse(_ command: Command, _ words: [String]) throws -> ParsedArguments {
      try parseArguments(words, specs: command.arguments)
    }
    let model = [
      "m.txt", "--set", "a=1", "--set", "b=2", "--seed", "7", "--epochs=3",
    ]
    func readModel(_ arguments: ParsedArguments, of command: Command) {
      coverage.read(arguments, ModelArguments.model, "m.txt", of: command)
      coverage.read(arguments, ModelArguments.set, ["a=1", "b=2"], of: command)
      coverage.read(arguments, ModelArguments.seed, 7, of: command)
      coverage.read(arguments, ModelArguments.epochs, 3, of: command)
    }

    let run = try parse(
      runCommand,
      model + [
        "--output", "o.safetensors", "--no-save", "--force", "--init-from", "i.safetensors",
        "--resume", "r.safetensors", "--allow-changes", "--json", "--quiet", "--log-every", "5",
        "--threads", "2", "--step", "fused",
      ])
    readModel(run, of: runCommand)
    coverage.read(run, stepArgument, "fused", of: runCommand)
    coverage.read(run, RunArguments.output, "o.safetensors", of: runCommand)
    coverage.read(run, RunArguments.noSave, true, of: runCommand)
    coverage.read(run, forceArgument, true, of: runCommand)
    coverage.read(run, RunArguments.initFrom, "i.safetensors", of: runCommand)
    coverage.read(run, RunArguments.resume, "r.safetensors", of: runCommand)
    coverage.read(run, RunArguments.allowChanges, true, of: runCommand)
    coverage.read(run, RunArguments.json, true, of: runCommand)
    coverage.read(run, RunArguments.quiet, true, of: runCommand)
    coverage.read(run, RunArguments.logEvery, 5, of: runCommand)
    coverage.read(run, threadsArgument, 2, of: runCommand)

    readModel(try parse(checkCommand, model), of: checkCommand)

    let gradcheck = try parse(
      gradcheckCommand,
      model + ["--samples", "4", "--tolerance", "1e-5", "--atol=2e-9", "--json"])
    readModel(gradcheck, of: gradcheckCommand)
    coverage.read(gradcheck, GradcheckArguments.samples, 4, of: gradcheckCommand)
    coverage.read(gradcheck, GradcheckArguments.tolerance, 1e-5, of: gradcheckCommand)
    coverage.read(gradcheck, GradcheckArguments.atol, 2e-9, of: gradcheckCommand)
    coverage.read(gradcheck, GradcheckArguments.json, true, of: gradcheckCommand)

    let predict = try parse(
      predictCommand,
      ["c.safetensors", "-", "--output", "p.csv", "--raw", "--force", "--threads=1"])
    coverage.read(predict, PredictArguments.checkpoint, "c.safetensors", of: predictCommand)
    coverage.read(predict, PredictArguments.input, "-", of: predictCommand)
    coverage.read(predict, PredictArguments.output, "p.csv", of: predictCommand)
    coverage.read(predict, PredictArguments.raw, true, of: predictCommand)
    coverage.read(predict, forceArgument, true, of: predictCommand)
    coverage.read(predict, threadsArgument, 1, of: predictCommand)

    let evaluate = try parse(
      evaluateCommand, ["c.safetensors", "d.csv", "--json", "--threads", "64"])
    coverage.read(evaluate, EvaluateArguments.checkpoint, "c.safetensors", of: evaluateCommand)
    coverage.read(evaluate, EvaluateArguments.data, "d.csv", of: evaluateCommand)
    coverage.read(evaluate, EvaluateArguments.json, true, of: evaluateCommand)
    coverage.read(evaluate, threadsArgument, 64, of: evaluateCommand)

    let list = try parse(listCommand, ["layers"])
    coverage.read(list, ListArguments.kind, "layers", of: listCommand)

    let bench = try parse(
      benchCommand,
      [
        "--only", "w2", "--only", "W5", "--json", "--data", "Data", "--threads", "3", "--step",
        "reference",
      ])
    coverage.read(bench, stepArgument, "reference", of: benchCommand)
    coverage.read(bench, BenchArguments.only, ["W2", "W5"], of: benchCommand)
    coverage.read(bench, BenchArguments.json, true, of: benchCommand)
    coverage.read(bench, BenchArguments.data, "Data", of: benchCommand)
    coverage.read(bench, threadsArgument, 3, of: benchCommand)

    let export = try parse(exportCommand, ["c.safetensors", "m.onnx", "--raw", "--force"])
    coverage.read(export, ExportArguments.checkpoint, "c.safetensors", of: exportCommand)
    coverage.read(export, ExportArguments.output, "m.onnx", of: exportCommand)
    coverage.read(export, ExportArguments.raw, true, of: exportCommand)
    coverage.read(export, forceArgument, true, of: exportCommand)

    // Every argument every command declares was read above through its typed accessor.
    for command in CommandLineTool.commands {
      #expect(
        coverage.names[command.name] == Set(command.arguments.map(\.name)), "\(command.name)")
    }
  }

  @Test func argumentsNotGivenReadAsFalseNilOrEmpty() throws {
    let run = try parseArguments(["m.txt"], specs: runCommand.arguments)
    #expect(run[RunArguments.noSave] == false)
    #expect(run[RunArguments.output] == nil)
    #expect(run[ModelArguments.set] == [])
    #expect(run[ModelArguments.seed] == nil)
    #expect(run[threadsArgument] == nil)
    let list = try parseArguments([], specs: listCommand.arguments)
    #expect(list[ListArguments.kind] == nil)
    // A flag given twice is still just given.
    let json = try parseArguments(["m.txt", "--json", "--json"], specs: runCommand.arguments)
    #expect(json[RunArguments.json])
  }

  @Test(arguments: [
    (
      ["m.txt", "--log-every", "0"], "invalid value '0' for '--log-every': expected an integer ≥ 1"
    ),
    (["m.txt", "--seed", "-1"], "invalid value '-1' for '--seed': expected an integer ≥ 0"),
    (["m.txt", "--epochs", "ten"], "invalid value 'ten' for '--epochs': expected an integer ≥ 0"),
    (
      ["m.txt", "--threads", "65"],
      "invalid value '65' for '--threads': expected an integer in 1...64"
    ),
    (["m.txt", "--output", "a", "--output", "b"], "option '--output' given more than once"),
    (["m.txt", "--no-save=yes"], "option '--no-save' takes no value"),
    (["m.txt", "--ouput", "a"], "unknown option '--ouput'; did you mean '--output'?"),
    (["m.txt", "--init-from"], "missing value for '--init-from <checkpoint>'"),
    ([], "missing expected argument '<model>'"),
  ])
  func runRefusesAValueItsDeclarationDoesNotAccept(words: [String], message: String) {
    #expect(throws: UsageError(message)) {
      try parseArguments(words, specs: runCommand.arguments)
    }
  }

  @Test func declarationsCheckTheirOwnKindsOfValue() {
    #expect(throws: UsageError("invalid value '0' for '--tolerance': expected a positive number")) {
      try parseArguments(["m.txt", "--tolerance", "0"], specs: gradcheckCommand.arguments)
    }
    #expect(throws: UsageError("invalid value 'inf' for '--atol': expected a positive number")) {
      try parseArguments(["m.txt", "--atol", "inf"], specs: gradcheckCommand.arguments)
    }
    #expect(
      throws: UsageError(
        "invalid value '100001' for '--samples': expected an integer in 1...100000")
    ) {
      try parseArguments(["m.txt", "--samples", "100001"], specs: gradcheckCommand.arguments)
    }
    #expect(
      throws: UsageError("unknown workload 'W9'; expected one of: W1, W2, W3, W4, W5, W6")
    ) {
      try parseArguments(["--only", "w9"], specs: benchCommand.arguments)
    }
  }
}
