import NNPipeline
import NNProtocols

/// Exit statuses, as swift-argument-parser and the BSD `sysexits` convention use them.
public enum ExitStatus {
  public static let success: Int32 = 0
  /// A run failed (divergence, an I/O error while training, a failed gradient check).
  public static let failure: Int32 = 1
  /// The command line or an input file was wrong.
  public static let usage: Int32 = 64
  /// Interrupted by SIGINT or SIGTERM.
  public static let interrupted: Int32 = 130
}

/// One subcommand of `nnpipe`.
struct Command: Sendable {
  var name: String
  /// One line for the command list.
  var abstract: String
  /// Paragraphs shown by `--help` after the overview.
  var discussion: String
  /// What the parser and `--help` see of the declared arguments, in the order `--help` lists them.
  var arguments: [ArgumentSpec]
  var execute: @Sendable (ParsedArguments, CommandContext) throws -> Int32

  /// A command taking the declared `arguments` (each an `Argument`, whose value `execute` reads as
  /// `arguments[declaration]`).
  init(
    name: String, abstract: String, discussion: String, arguments: [any CommandArgument],
    execute: @escaping @Sendable (ParsedArguments, CommandContext) throws -> Int32
  ) {
    self.name = name
    self.abstract = abstract
    self.discussion = discussion
    self.arguments = arguments.map(\.spec)
    self.execute = execute
  }

  /// `nnpipe run <model> [--set <key=value> ...] …`
  var usage: String {
    var parts = ["nnpipe", name]
    for argument in arguments {
      switch argument.kind {
      case .positional(let optional):
        parts.append(
          optional ? "[<\(argument.name.lowercased())>]" : "<\(argument.name.lowercased())>")
      case .flag:
        parts.append("[--\(argument.name)]")
      case .option(let valueName, let repeatable):
        parts.append("[--\(argument.name) <\(valueName)>\(repeatable ? " ..." : "")]")
      }
    }
    return parts.joined(separator: " ")
  }

  /// The `--help` text.
  var help: String {
    var text = "OVERVIEW: \(abstract)\n"
    if !discussion.isEmpty { text += "\n\(discussion)\n" }
    text += "\nUSAGE: \(usage)\n"
    let positionals = arguments.filter {
      if case .positional = $0.kind { return true }
      return false
    }
    if !positionals.isEmpty {
      text += "\nARGUMENTS:\n"
      for argument in positionals {
        text += helpLine("<\(argument.name.lowercased())>", argument.help)
      }
    }
    text += "\nOPTIONS:\n"
    for argument in arguments {
      switch argument.kind {
      case .positional: continue
      case .flag: text += helpLine("--\(argument.name)", argument.help)
      case .option(let valueName, _):
        text += helpLine("--\(argument.name) <\(valueName)>", argument.help)
      }
    }
    text += helpLine("-h, --help", "Show help information.")
    return text
  }
}

/// Formats one entry of a help listing, the description aligned at column 26.
func helpLine(_ label: String, _ description: String) -> String {
  let padded = "  " + label
  if padded.count < 24 {
    return padded + String(repeating: " ", count: 26 - padded.count) + description + "\n"
  }
  return padded + "\n" + String(repeating: " ", count: 26) + description + "\n"
}

/// What every command gets besides its arguments.
struct CommandContext: Sendable {
  var registry: ComponentRegistry
  var console: Console
  var interruption: Interruption
}
