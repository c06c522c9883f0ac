/// An error in something a user supplied (a model file, a data file, a checkpoint, a flag), naming
/// the place and what was expected.
///
/// Its description follows the compilers' convention:
/// ```
/// model.txt:7:12: error: unknown activation 'sigmod'; did you mean 'sigmoid'?
///     dense units=20 activation=sigmod
///                    ^
/// ```
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (as the user named it), or `nil` for a command-line argument.
  public var file: String?
  /// The 1-based line (or data row), if known.
  public var line: Int?
  /// The 1-based column, if known.
  public var column: Int?
  /// What is wrong and what was expected.
  public var message: String
  /// The offending line's text, shown with a caret under `column`.
  public var sourceLine: String?
  /// An optional hint on how to fix it.
  public var hint: String?

  public init(
    file: String? = nil, line: Int? = nil, column: Int? = nil, _ message: String,
    sourceLine: String? = nil, hint: String? = nil
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.sourceLine = sourceLine
    self.hint = hint
  }

  /// `file:line:column` (as much of it as is known).
  public var place: String {
    var parts: [String] = []
    if let file { parts.append(file) }
    if let line { parts.append(String(line)) }
    if let line = self.line, let column, line > 0 { parts.append(String(column)) }
    return parts.joined(separator: ":")
  }

  public var description: String {
    var text = place.isEmpty ? "error: \(message)" : "\(place): error: \(message)"
    if let sourceLine {
      text += "\n    " + sourceLine
      if let column, column >= 1 {
        // Keep tabs in the padding so the caret lines up under the column on a terminal.
        let padding = sourceLine.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        text += "\n    " + padding + "^"
      }
    }
    if let hint { text += "\nnote: \(hint)" }
    return text
  }
}

/// Several input errors found in one pass (a model file reports every error at once).
public struct InputErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [InputError]

  public init(_ errors: [InputError]) { self.errors = errors }

  public var description: String {
    errors.map(\.description).joined(separator: "\n")
  }
}

/// The closest of `candidates` to `name`, if it is close enough to be what the user meant.
///
/// Used for "did you mean …?" suggestions: the Levenshtein distance must be at most a third of the
/// name's length (at least 1, at most 3).
public func closestName(to name: String, in candidates: some Sequence<String>) -> String? {
  let limit = Swift.min(3, Swift.max(1, name.count / 3))
  var best: (name: String, distance: Int)?
  for candidate in candidates {
    let distance = editDistance(name.lowercased(), candidate.lowercased())
    if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
  }
  return best?.name
}

/// The edit distance between `a` and `b`: insertions, deletions, substitutions and transpositions of
/// two neighbours (`rnu` → `run` is one edit), the optimal-string-alignment form of Damerau–Levenshtein.
public func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  // d[i][j]: distance between the first i characters of a and the first j of b.
  var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
  for i in 0...a.count { d[i][0] = i }
  for j in 0...b.count { d[0][j] = j }
  for i in 1...a.count {
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
      }
    }
  }
  return d[a.count][b.count]
}
