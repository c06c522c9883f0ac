import Foundation

/// Where a command writes: standard output for results, standard error for messages and progress.
///
/// Tests capture both by passing a console that records instead of printing.
public final class Console: @unchecked Sendable {
  private let writeOut: (String) -> Void
  private let writeError: (String) -> Void
  /// Whether standard error is a terminal (live progress line) rather than a pipe or file.
  public let isTerminal: Bool
  /// Whether colour is allowed (`NO_COLOR` unset and a terminal).
  public let useColor: Bool

  public init(
    isTerminal: Bool, useColor: Bool, out: @escaping (String) -> Void,
    error: @escaping (String) -> Void
  ) {
    self.isTerminal = isTerminal
    self.useColor = useColor
    writeOut = out
    writeError = error
  }

  /// The process's own standard output and error.
  public static func standard() -> Console {
    let terminal = isatty(STDERR_FILENO) != 0
    let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return Console(
      isTerminal: terminal, useColor: terminal && !noColor,
      out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
      error: { text in FileHandle.standardError.write(Data(text.utf8)) })
  }

  /// Writes `text` and a newline to standard output.
  public func print(_ text: String = "") { writeOut(text + "\n") }
  /// Writes `text` and a newline to standard error.
  public func message(_ text: String) { writeError(text + "\n") }
  /// Writes `text` to standard error as is (for redrawing a progress line).
  public func rawError(_ text: String) { writeError(text) }

  /// `text` in bold red when colour is allowed.
  public func errorLabel(_ text: String) -> String {
    useColor ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text
  }
}
