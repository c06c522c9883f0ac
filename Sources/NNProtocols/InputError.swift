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

  /// The message in the compilers' format. What the user wrote is shown safely (see `DisplayText`):
  /// the source line cut to an excerpt around the column, invisible characters escaped, and a message
  /// longer than `DisplayText.longestMessage` characters cut in the middle.
  public var description: String {
    let shown = DisplayText.escapingInvisible(DisplayText.bounded(message))
    var text = place.isEmpty ? "error: \(shown)" : "\(place): error: \(shown)"
    if let sourceLine {
      let excerpt = DisplayText.excerpt(of: sourceLine, column: column ?? 1)
      text += "\n    " + excerpt.text
      if let column, column >= 1 {
        // The padding keeps tabs so the caret lines up under the column on a terminal.
        text += "\n    " + excerpt.caretPadding + "^"
      }
    }
    if let hint { text += "\nnote: \(DisplayText.escapingInvisible(DisplayText.bounded(hint)))" }
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
/// name's length (at least 1, at most 3). Only names of sane length are compared: a name longer than
/// `longestSuggestedName` bytes gets no suggestion, and a candidate whose length differs from the name's
/// by more than the allowed distance is skipped without computing the distance, so the work is bounded
/// whatever the user wrote.
public func closestName(to name: String, in candidates: some Sequence<String>) -> String? {
  guard name.utf8.count <= longestSuggestedName else { return nil }
  let lowered = name.lowercased()
  let length = lowered.count
  let limit = Swift.min(3, Swift.max(1, length / 3))
  var best: (name: String, distance: Int)?
  for candidate in candidates where candidate.utf8.count <= longestSuggestedName {
    let other = candidate.lowercased()
    guard abs(other.count - length) <= limit else { continue }
    let distance = editDistance(lowered, other)
    if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
  }
  return best?.name
}

/// The longest name (in UTF-8 bytes) `closestName` looks for a suggestion for.
public let longestSuggestedName = 64

/// The edit distance between `a` and `b`: insertions, deletions, substitutions and transpositions of
/// two neighbours (`rnu` → `run` is one edit), the optimal-string-alignment form of Damerau–Levenshtein.
///
/// Time grows with the product of the lengths, memory with the shorter one's length (three rows of the
/// table are kept).
public func editDistance(_ a: String, _ b: String) -> Int {
  var a = Array(a)
  var b = Array(b)
  if a.count < b.count { swap(&a, &b) }
  if b.isEmpty { return a.count }
  // Row i of the table d, where d[i][j] is the distance between the first i characters of a and the
  // first j of b; `previous` is row i - 1 and `beforePrevious` row i - 2.
  var beforePrevious = [Int](repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        current[j] = Swift.min(current[j], beforePrevious[j - 2] + 1)
      }
    }
    (beforePrevious, previous, current) = (previous, current, beforePrevious)
  }
  return previous[b.count]
}
