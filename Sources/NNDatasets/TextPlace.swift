import NNProtocols

/// A place in a text file (a line and where it starts), turned into the `file:line:column` of an
/// `InputError` with the line shown under the message.
struct TextPlace {
  /// The 1-based line number.
  var line: Int
  /// The byte offset where that line starts.
  var lineStart: Int
  /// The byte offset of the place itself.
  var offset: Int

  /// The longest line shown under a message; longer lines are not shown.
  static let longestShownLine = 240

  /// The 1-based column of `offset`, counting characters (UTF-8 continuation bytes are skipped).
  func column(in base: UnsafePointer<UInt8>) -> Int {
    var column = 1
    var i = lineStart
    while i < offset {
      if base[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return column
  }

  /// The text of the line, without its line ending; `nil` when it is too long to show.
  func lineText(in base: UnsafePointer<UInt8>, count: Int) -> String? {
    var end = lineStart
    while end < count, base[end] != 0x0A, end - lineStart <= Self.longestShownLine { end += 1 }
    if end - lineStart > Self.longestShownLine { return nil }
    if end > lineStart, base[end - 1] == 0x0D { end -= 1 }
    return String(
      decoding: UnsafeBufferPointer(start: base + lineStart, count: end - lineStart), as: UTF8.self)
  }

  /// An error at this place.
  func error(
    file: String, in base: UnsafePointer<UInt8>, count: Int, _ message: String, hint: String? = nil
  ) -> InputError {
    InputError(
      file: file, line: line, column: column(in: base), message,
      sourceLine: lineText(in: base, count: count), hint: hint)
  }
}
