import Foundation
import NNCheckpoints
import NNPipeline
import NNProtocols

/// The `nnpipe` command line as a library entry point.
///
/// A program that adds its own components is a few lines:
/// ```swift
/// var registry = ComponentRegistry.standard()
/// try registry.registerActivation("scaled_tanh", summary: "a·tanh(b·x)", options: […]) { … }
/// CommandLineTool(registry: registry).exit(with: CommandLine.arguments)
/// ```
public struct CommandLineTool: Sendable {
  public var registry: ComponentRegistry
  public var console: Console
  public var interruption: Interruption

  public init(
    registry: ComponentRegistry = .standard(), console: Console = .standard(),
    interruption: Interruption = Interruption()
  ) {
    self.registry = registry
    self.console = console
    self.interruption = interruption
  }

  /// Runs the command line `arguments` (without the program name) and returns the exit status.
  public func run(_ arguments: [String]) -> Int32 {
    let context = CommandContext(registry: registry, console: console, interruption: interruption)
    guard let first = arguments.first else {
      console.print(overview)
      return ExitStatus.success
    }
    switch first {
    case "-h", "--help":
      console.print(overview)
      return ExitStatus.success
    case "--version":
      console.print(nnpipeVersion)
      return ExitStatus.success
    case "help":
      guard arguments.count > 1 else {
        console.print(overview)
        return ExitStatus.success
      }
      guard let command = Self.commands.first(where: { $0.name == arguments[1] }) else {
        return usageFailure(
          "unknown command '\(arguments[1])'", usage: "nnpipe help [<command>]", helpCommand: nil)
      }
      console.print(command.help)
      return ExitStatus.success
    default:
      break
    }
    guard let command = Self.commands.first(where: { $0.name == first }) else {
      let suggestion = closestName(to: first, in: Self.commands.map(\.name)).map {
        "; did you mean '\($0)'?"
      }
      return usageFailure(
        "unknown command '\(first)'" + (suggestion ?? ""), usage: "nnpipe <command> [<arguments>]",
        helpCommand: nil)
    }
    let rest = Array(arguments.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
      console.print(command.help)
      return ExitStatus.success
    }
    do {
      let parsed = try parseArguments(rest, specs: command.arguments)
      return try command.execute(parsed, context)
    } catch let error as UsageError {
      return usageFailure(error.message, usage: command.usage, helpCommand: command.name)
    } catch let error as InputErrors {
      console.message(error.description)
      return ExitStatus.usage
    } catch let error as InputError {
      console.message(error.description)
      return ExitStatus.usage
    } catch let error as AtomicFile.WriteError {
      // A runtime failure that already reads `path: error: reason`.
      console.message(error.description)
      return ExitStatus.failure
    } catch {
      console.message("error: \(error)")
      return ExitStatus.failure
    }
  }

  /// Runs the process's command line and exits with its status.
  public func exit(with arguments: [String] = CommandLine.arguments) -> Never {
    let status = run(Array(arguments.dropFirst()))
    Foundation.exit(status)
  }

  private func usageFailure(_ message: String, usage: String, helpCommand: String?) -> Int32 {
    console.message("\(console.errorLabel("Error:")) \(message)")
    console.message("Usage: \(usage)")
    let help = helpCommand.map { "nnpipe \($0) --help" } ?? "nnpipe --help"
    console.message("  See '\(help)' for more information.")
    return ExitStatus.usage
  }

  /// The top-level `--help` text.
  var overview: String {
    var text = """
      OVERVIEW: Build, train, check and use feed-forward neural networks described in a text file.

      USAGE: nnpipe <command> [<arguments>]

      COMMANDS:

      """
    for command in Self.commands { text += helpLine(command.name, command.abstract) }
    text += helpLine("help", "Show help for a command.")
    text += """

      OPTIONS:
        --version               Show the version.
        -h, --help              Show help information.

        See 'nnpipe help <command>' for detailed help.
      """
    return text
  }

  /// Every subcommand, in the order `--help` lists them.
  static let commands: [Command] = [
    runCommand, checkCommand, predictCommand, evaluateCommand, gradcheckCommand, listCommand,
    benchCommand, exportCommand,
  ]
}
