import Foundation

// Command lines printed for the user to run again (`resume with: nnpipe run …`), quoted so that a
// POSIX shell reads back exactly the words that were given.

/// `word` as a POSIX shell reads it back as one word: unchanged when it holds only letters, digits
/// and `@%_+=:,./-` (and is not empty), else in single quotes, a `'` inside written `'\''`.
///
/// ```swift
/// shellQuoted("sine.txt")            // sine.txt
/// shellQuoted("my run/it's.txt")     // 'my run/it'\''s.txt'
/// ```
func shellQuoted(_ word: String) -> String {
  let safe =
    !word.isEmpty
    && word.unicodeScalars.allSatisfy { scalar in
      scalar.isASCII
        && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
          || ("0"..."9").contains(scalar) || "@%_+=:,./-".unicodeScalars.contains(scalar))
    }
  if safe { return word }
  return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The words as one shell command line, each quoted as needed (`shellQuoted`).
func shellCommand(_ words: [String]) -> String {
  words.map(shellQuoted).joined(separator: " ")
}

/// The command that continues an interrupted `nnpipe run` exactly: the model file and every flag
/// that shaped the run (`--set`, `--seed`, `--epochs`, `--threads`, `--output`, numbers as parsed),
/// then `--resume` with the checkpoint it saved. Display flags (`--quiet`, `--json`, …) are left
/// out.
func resumeCommand(_ arguments: ParsedArguments, checkpoint: String) -> String {
  var words = ["nnpipe", "run", arguments[ModelArguments.model]]
  for value in arguments[ModelArguments.set] { words += ["--set", value] }
  for option in [ModelArguments.seed, ModelArguments.epochs, threadsArgument] {
    if let value = arguments[option] { words += ["--\(option.spec.name)", String(value)] }
  }
  if let output = arguments[RunArguments.output] { words += ["--output", output] }
  words += ["--resume", checkpoint]
  return shellCommand(words)
}
