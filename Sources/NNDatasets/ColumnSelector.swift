import NNProtocols

/// A column of a table, chosen by its header name or by its 1-based position.
///
/// Written in options as a comma list: `features=sepal_length,petal_length`, `features=1-4`,
/// `target=5`. A word made only of digits is a position; `a-b` with digits on both sides is the
/// positions `a` through `b`; anything else is a name.
///
/// A range stays a range until it is compared with the file's columns (`CSVLayout`): `1-100000000`
/// is refused for a file of 5 columns without ever listing a hundred million positions.
public enum ColumnSelector: Equatable, Hashable, Sendable, CustomStringConvertible {
  /// The column whose header cell is this name.
  case name(String)
  /// The column at this 1-based position.
  case index(Int)
  /// The columns at these 1-based positions, in order (`2-5`); the lower bound is ≥ 1.
  case range(ClosedRange<Int>)

  /// Parses a comma list of names, positions and position ranges; empty items are ignored.
  ///
  /// - Throws: `InputError` for a range running backwards or a position of 0 (or too large to be a
  ///   number).
  public static func parseList(_ text: String) throws -> [ColumnSelector] {
    var result: [ColumnSelector] = []
    for item in text.split(separator: ",") {
      let word = item.trimmingSpaces
      if word.isEmpty { continue }
      if let position = Int(word), word.allSatisfy(\.isASCIIDigit) {
        guard position >= 1 else {
          throw InputError("column positions start at 1, got \(position) in '\(text)'")
        }
        result.append(.index(position))
      } else if let dash = word.firstIndex(of: "-"), let low = Int(word[..<dash]),
        let high = Int(word[word.index(after: dash)...]),
        word[..<dash].allSatisfy(\.isASCIIDigit),
        word[word.index(after: dash)...].allSatisfy(\.isASCIIDigit)
      {
        guard low >= 1, low <= high else {
          throw InputError(
            "column range '\(word)' must run from a position ≥ 1 up to a larger one, in '\(text)'")
        }
        result.append(.range(low...high))
      } else {
        result.append(.name(String(word)))
      }
    }
    return result
  }

  public var description: String {
    switch self {
    case .name(let name): name
    case .index(let index): String(index)
    case .range(let range): "\(range.lowerBound)-\(range.upperBound)"
    }
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
  /// The text without spaces and tabs at either end.
  var trimmingSpaces: SubSequence {
    var start = startIndex
    var end = endIndex
    while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
    while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
      end = index(before: end)
    }
    return self[start..<end]
  }
}
