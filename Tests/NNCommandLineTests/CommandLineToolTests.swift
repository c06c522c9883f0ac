import Foundation
import NNCommandLine
import NNProtocols
import Testing

/// The command line's conventions: help, version, usage errors and exit statuses.
struct CommandLineToolTests {
  @Test func versionAndHelpGoToStandardOutputWithStatusZero() throws {
    let version = try runProcess(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout == "0.1.0\n")
    #expect(version.stderr.isEmpty)

    let help = try runProcess(["--help"])
    #expect(help.status == 0)
    #expect(
      help.stdout.hasPrefix("OVERVIEW: Build, train, check and use feed-forward neural networks"))
    for command in ["run", "check", "predict", "evaluate", "gradcheck", "list", "bench", "help"] {
      #expect(help.stdout.contains("\n  \(command) "), "\(command) listed")
    }
  }

  @Test func eachCommandHasHelp() {
    for command in ["run", "check", "predict", "evaluate", "gradcheck", "list", "bench", "export"] {
      let viaFlag = runInProcess([command, "--help"])
      let viaHelp = runInProcess(["help", command])
      #expect(viaFlag.status == 0)
      #expect(viaFlag.stdout == viaHelp.stdout)
      #expect(viaFlag.stdout.contains("USAGE: nnpipe \(command)"), "\(command)")
      #expect(viaFlag.stdout.contains("  -h, --help              Show help information."))
    }
  }

  @Test func unknownCommandIsAUsageErrorWithASuggestion() throws {
    let result = try runProcess(["rnu", "model.txt"])
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr == """
        Error: unknown command 'rnu'; did you mean 'run'?
        Usage: nnpipe <command> [<arguments>]
          See 'nnpipe --help' for more information.

        """)
  }

  @Test func unknownOptionAndMissingArgumentAreUsageErrors() {
    let unknown = runInProcess(["run", "model.txt", "--epoch", "3"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.hasPrefix("Error: unknown option '--epoch'; did you mean '--epochs'?\n"))
    #expect(unknown.stderr.contains("Usage: nnpipe run <model>"))
    #expect(unknown.stderr.hasSuffix("  See 'nnpipe run --help' for more information.\n"))

    let missing = runInProcess(["check"])
    #expect(missing.status == 64)
    #expect(missing.stderr.hasPrefix("Error: missing expected argument '<model>'\n"))

    let badNumber = runInProcess(["run", "model.txt", "--epochs", "ten"])
    #expect(badNumber.status == 64)
    #expect(
      badNumber.stderr.hasPrefix(
        "Error: invalid value 'ten' for '--epochs': expected an integer ≥ 0\n"))

    let noValue = runInProcess(["run", "model.txt", "--seed"])
    #expect(noValue.stderr.hasPrefix("Error: missing value for '--seed <n>'\n"))

    let conflicting = runInProcess(["run", "model.txt", "--no-save", "--output", "x.safetensors"])
    #expect(conflicting.status == 64)
  }

  @Test func listShowsEveryComponentKindWithOptionsAndDefaults() {
    let result = runInProcess(["list"])
    #expect(result.status == 0)
    for heading in [
      "ACTIVATIONS", "LAYERS", "LOSSES", "OPTIMIZERS", "INITIALIZERS", "DATASETS", "SCHEDULES",
    ] {
      #expect(result.stdout.contains(heading), "\(heading)")
    }
    #expect(result.stdout.contains("  leaky_relu — "))
    #expect(result.stdout.contains("      slope=…"))
    #expect(result.stdout.contains("default 0.01"))
    let activations = runInProcess(["list", "activations"])
    #expect(activations.stdout.hasPrefix("ACTIVATIONS ("))
    #expect(!activations.stdout.contains("OPTIMIZERS"))
    let wrong = runInProcess(["list", "activatoins"])
    #expect(wrong.status == 64)
    #expect(
      wrong.stderr.hasPrefix(
        "Error: unknown component kind 'activatoins'; did you mean 'activation'?"))
  }

  @Test func listShowsComponentsAUserRegistered() throws {
    var registry = ComponentRegistry.standard()
    try registry.registerActivation(
      "cube", summary: "x³ (a test activation)",
      options: [OptionSpec("scale", .real(minimum: 0), default: .real(1), help: "a multiplier")]
    ) { _ in CubeActivation() }
    let result = runInProcess(["list", "activation"], registry: registry)
    #expect(result.stdout.contains("  cube — x³ (a test activation)"))
    #expect(result.stdout.contains("      scale=…  a multiplier (a real number ≥ 0; default 1)"))
  }
}

struct CubeActivation: Activation {
  var name: String { "cube" }
  func value<S: NNScalar>(_ z: S) -> S { z * z * z }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 3 * z * z }
}
