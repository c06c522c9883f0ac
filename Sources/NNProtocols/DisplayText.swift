/// Text from a user's input, made safe and short enough to print inside an error message.
///
/// A message quotes what the user wrote: a word, a line. That text may be a megabyte long, or hold
/// characters a terminal does not show as they are: control characters, bidirectional overrides,
/// zero-width characters, or a letter that looks like an ASCII one (the Cyrillic `о` in `sigmоid`).
/// `DisplayText` cuts such text down and writes those characters as Swift escapes (`\u{43E}`), so that
/// the message shows exactly what is in the file:
/// ```
/// model.txt:3:24: error: unknown activation 'sigm\u{43E}id' (it contains the non-ASCII character
/// U+043E CYRILLIC SMALL LETTER O); did you mean 'sigmoid'?
/// ```
public enum DisplayText {
  /// The most characters of a quoted word shown; longer words end with `…`.
  public static let longestWord = 64
  /// The most characters of a source line shown under a message, around the column it points at.
  public static let longestExcerpt = 120
  /// The most characters of a message; longer messages lose their middle (`InputError` applies it).
  public static let longestMessage = 1000

  /// Whether `scalar` is written as an escape in any message: control characters (except tab and line
  /// feed, which messages use), format characters (bidirectional controls, zero-width characters, the
  /// byte-order mark), separators other than the space, private-use, surrogate and unassigned code
  /// points.
  public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " || scalar == "\t" || scalar == "\n" { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse,
      .surrogate, .unassigned:
      return true
    default:
      return false
    }
  }

  /// `scalar` as `\u{XXXX}` (hexadecimal, uppercase, as Swift writes it).
  public static func escape(_ scalar: Unicode.Scalar) -> String {
    "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
  }

  /// `word` between single quotes, for a message: at most `longestWord` characters (then `…`), and
  /// every character that is not printable ASCII escaped (`'sigm\u{43E}id'`), since a name of the
  /// model language is ASCII and anything else in it is a look-alike or invisible.
  public static func quoted(_ word: some StringProtocol) -> String {
    var text = "'"
    var shown = 0
    for scalar in word.unicodeScalars {
      if shown == longestWord {
        text += "…"
        break
      }
      text +=
        scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F
        ? String(scalar) : escape(scalar)
      shown += 1
    }
    return text + "'"
  }

  /// `text` cut to `longestExcerpt` characters (then `…`), for a message that repeats an argument;
  /// invisible characters are escaped when the message is printed (see `InputError.description`).
  public static func shortened(_ text: String) -> String {
    guard text.unicodeScalars.count > longestExcerpt else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.prefix(longestExcerpt))) + "…"
  }

  /// A note on the first non-ASCII character of `word`, or `nil` when it is all ASCII:
  /// ` (it contains the non-ASCII character U+043E CYRILLIC SMALL LETTER O)`, with a leading space,
  /// to follow the quoted word.
  public static func nonASCIINote(_ word: some StringProtocol) -> String? {
    guard let scalar = word.unicodeScalars.first(where: { !$0.isASCII }) else { return nil }
    let hex = String(scalar.value, radix: 16, uppercase: true)
    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    let name = scalar.properties.name.map { " " + $0 } ?? ""
    return " (it contains the non-ASCII character \(code)\(name))"
  }

  /// `word` quoted, followed by the note on its first non-ASCII character (if any).
  public static func quotedWithNote(_ word: some StringProtocol) -> String {
    quoted(word) + (nonASCIINote(word) ?? "")
  }

  /// `text` with its invisible characters (see `isInvisible`) escaped; other characters unchanged.
  public static func escapingInvisible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isInvisible) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if isInvisible(scalar) {
        result += escape(scalar)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// `message` cut to `longestMessage` characters by leaving out its middle (a safety net for a
  /// message that quotes a long text whole); shorter messages are unchanged.
  public static func bounded(_ message: String) -> String {
    guard message.utf8.count > longestMessage else { return message }
    let characters = Array(message.unicodeScalars)
    guard characters.count > longestMessage else { return message }
    let (headCount, tailCount) = (longestMessage - 200, 150)
    let head = String(String.UnicodeScalarView(characters[..<headCount]))
    let tail = String(String.UnicodeScalarView(characters[(characters.count - tailCount)...]))
    let omitted = characters.count - headCount - tailCount
    return head + " … (\(omitted) characters left out) … " + tail
  }

  /// The part of `line` to show under a message pointing at `column` (1-based, in characters), and
  /// the padding that puts a caret under that column.
  ///
  /// At most `longestExcerpt` characters around the column are shown, with `…` where the line was cut;
  /// invisible characters are escaped (tabs are kept, so the caret lines up on a terminal).
  public static func excerpt(of line: String, column: Int) -> (text: String, caretPadding: String) {
    let target = max(column, 1) - 1
    let start = max(0, target - longestExcerpt / 2)
    var startIndex = line.startIndex
    if start > 0 {
      startIndex =
        line.index(line.startIndex, offsetBy: start, limitedBy: line.endIndex)
        ?? line.endIndex
    }
    var text = start > 0 ? "…" : ""
    var padding = start > 0 ? " " : ""
    var index = startIndex
    var position = start
    while index < line.endIndex {
      if position - start == longestExcerpt {
        text += "…"
        break
      }
      let character = line[index]
      var shown = ""
      for scalar in character.unicodeScalars {
        shown += scalar != "\t" && isInvisible(scalar) ? escape(scalar) : String(scalar)
      }
      text += shown
      if position < target {
        padding += character == "\t" ? "\t" : String(repeating: " ", count: shown.count)
      }
      index = line.index(after: index)
      position += 1
    }
    return (text, padding)
  }
}
