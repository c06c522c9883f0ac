import NNProtocols

/// One cell of a CSV record: where its text lies in the file (without the quotes of a quoted cell).
struct CSVCell {
  /// The first byte of the cell's text.
  var start: Int
  /// One past the last byte of the cell's text.
  var end: Int
  /// Whether the cell was written in double quotes.
  var quoted: Bool
  /// Whether the text holds `""`, which stands for one `"`.
  var hasEscapedQuotes: Bool
  /// Where the cell starts (its opening quote, for a quoted cell).
  var place: TextPlace
}

/// A cell's text without its place: what a reader keeps for later (e.g. class labels).
struct CSVSpan {
  var start: Int
  var end: Int
  var quoted: Bool
  var hasEscapedQuotes: Bool

  init(_ cell: CSVCell) {
    start = cell.start
    end = cell.end
    quoted = cell.quoted
    hasEscapedQuotes = cell.hasEscapedQuotes
  }
}

/// Splits CSV text into records and cells, following RFC 4180, over the bytes of the whole file.
///
/// - Cells are separated by `delimiter`; records end at `\n` or `\r\n` (a final line ending is optional).
/// - A cell starting with `"` is quoted: it ends at the next lone `"`, may hold the delimiter and line
///   endings, and `""` inside it stands for one `"`.
/// - Completely empty lines are skipped (a trailing newline or blank lines between blocks).
/// - A UTF-8 byte-order mark at the start of the file is skipped.
///
/// The scanner makes no `String`s: a cell is a byte range, converted by whoever reads it.
struct CSVScanner {
  let base: UnsafePointer<UInt8>
  let count: Int
  let delimiter: UInt8
  let file: String
  /// The next byte to read.
  private(set) var position: Int
  /// The 1-based line of `position`.
  private(set) var line = 1
  /// Where the line of `position` starts.
  private(set) var lineStart: Int

  static let quote = UInt8(ascii: "\"")
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")

  init(base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8, file: String) {
    self.base = base
    self.count = count
    self.delimiter = delimiter
    self.file = file
    let hasByteOrderMark = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    position = hasByteOrderMark ? 3 : 0
    lineStart = position
  }

  /// Whether the file holds nothing but a byte-order mark and line endings or spaces.
  var isBlank: Bool {
    var i = position
    while i < count {
      switch base[i] {
      case 0x20, 0x09, Self.newline, Self.carriageReturn: i += 1
      default: return false
      }
    }
    return true
  }

  /// The place the scanner has reached (for an error at the end of a record or of the file).
  var place: TextPlace { TextPlace(line: line, lineStart: lineStart, offset: position) }

  /// Reads the next record into `cells`, replacing their content.
  ///
  /// - Returns: `false` at the end of the file.
  /// - Throws: `InputError` for an unterminated quoted cell or text after a closing quote.
  mutating func nextRecord(into cells: inout [CSVCell]) throws -> Bool {
    cells.removeAll(keepingCapacity: true)
    skipEmptyLines()
    if position >= count { return false }
    while true {
      let place = self.place
      // After a delimiter at the very end of the file, the last cell is empty.
      if position < count, base[position] == Self.quote {
        cells.append(try quotedCell(startingAt: place))
      } else {
        // An unquoted cell runs to the delimiter or the end of the line.
        let start = position
        position = endOfUnquotedCell(from: position)
        var end = position
        if end > start, base[end - 1] == Self.carriageReturn { end -= 1 }
        cells.append(
          CSVCell(start: start, end: end, quoted: false, hasEscapedQuotes: false, place: place))
      }
      if position >= count { return true }
      if base[position] == delimiter {
        position += 1
        continue
      }
      // A line ending closes the record.
      position += 1
      line += 1
      lineStart = position
      return true
    }
  }

  /// The position of the first delimiter or `\n` at or after `start` (or `count`).
  ///
  /// Eight bytes at a time ("SWAR"): `x = word ^ (byte · 0x0101…01)` has a zero byte exactly where the
  /// word holds `byte`, and `(x − 0x0101…01) & ~x & 0x8080…80` sets the top bit of the first zero byte
  /// (bits above it may be set too, never below), so its trailing zeros / 8 give its position.
  private func endOfUnquotedCell(from start: Int) -> Int {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let delimiters = ones &* UInt64(delimiter)
    let newlines = ones &* UInt64(Self.newline)
    var position = start
    let raw = UnsafeRawPointer(base)
    while position + 8 <= count {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
      let x = word ^ delimiters
      let y = word ^ newlines
      let found = ((x &- ones) & ~x | (y &- ones) & ~y) & highs
      if found != 0 { return position + found.trailingZeroBitCount / 8 }
      position += 8
    }
    while position < count, base[position] != delimiter, base[position] != Self.newline {
      position += 1
    }
    return position
  }

  /// Reads a quoted cell; `position` is at its opening quote. Leaves `position` at the delimiter or line
  /// ending after the closing quote (or at the end of the file).
  private mutating func quotedCell(startingAt place: TextPlace) throws -> CSVCell {
    position += 1
    let start = position
    var escaped = false
    while true {
      guard position < count else {
        throw place.error(
          file: file, in: base, count: count,
          "unterminated quoted cell: the file ends before its closing '\"'",
          hint: "a '\"' inside a quoted cell is written twice: \"\"")
      }
      let byte = base[position]
      if byte == Self.quote {
        if position + 1 < count, base[position + 1] == Self.quote {
          escaped = true
          position += 2
          continue
        }
        break
      }
      if byte == Self.newline {
        line += 1
        lineStart = position + 1
      }
      position += 1
    }
    let end = position
    position += 1  // the closing quote
    if position < count, base[position] == Self.carriageReturn, position + 1 < count,
      base[position + 1] == Self.newline
    {
      position += 1
    }
    if position < count, base[position] != delimiter, base[position] != Self.newline {
      throw self.place.error(
        file: file, in: base, count: count,
        "unexpected text after the closing '\"' of a quoted cell; expected the delimiter or the end"
          + " of the line",
        hint: "a '\"' inside a quoted cell is written twice: \"\"")
    }
    return CSVCell(start: start, end: end, quoted: true, hasEscapedQuotes: escaped, place: place)
  }

  /// Skips lines that hold nothing (`\n` or `\r\n` alone).
  private mutating func skipEmptyLines() {
    while position < count {
      if base[position] == Self.newline {
        position += 1
      } else if base[position] == Self.carriageReturn, position + 1 < count,
        base[position + 1] == Self.newline
      {
        position += 2
      } else {
        return
      }
      line += 1
      lineStart = position
    }
  }

  /// The text of `cell`: `""` unescaped; spaces and tabs around an unquoted cell removed.
  func text(of cell: CSVCell) -> String {
    text(of: CSVSpan(cell))
  }

  /// The text of `span`: `""` unescaped; spaces and tabs around an unquoted cell removed.
  func text(of span: CSVSpan) -> String {
    var start = span.start
    var end = span.end
    if !span.quoted {
      while start < end, base[start] == 0x20 || base[start] == 0x09 { start += 1 }
      while end > start, base[end - 1] == 0x20 || base[end - 1] == 0x09 { end -= 1 }
    }
    let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
    guard span.hasEscapedQuotes else { return String(decoding: bytes, as: UTF8.self) }
    // `""` → `"`: drop every second quote of a pair.
    var unescaped: [UInt8] = []
    var previousWasQuote = false
    for byte in bytes {
      if byte == Self.quote, previousWasQuote {
        previousWasQuote = false
        continue
      }
      previousWasQuote = byte == Self.quote
      unescaped.append(byte)
    }
    return String(decoding: unescaped, as: UTF8.self)
  }

  /// Throws, at the byte's line and column, when `cell` holds a byte that is not UTF-8: a text cell
  /// becomes a name or a class label, and must be text.
  func checkUTF8(_ cell: CSVCell) throws {
    var offset = cell.start
    while offset < cell.end, base[offset] < 0x80 { offset += 1 }
    guard offset < cell.end else { return }  // ASCII
    let bytes = UnsafeBufferPointer(start: base + offset, count: cell.end - offset)
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while case .scalarValue(let scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
    guard offset < cell.end else { return }
    // The place of the byte (a quoted cell may span lines).
    var place = cell.place
    for i in place.offset..<offset where base[i] == Self.newline {
      place.line += 1
      place.lineStart = i + 1
    }
    place.offset = offset
    let byte = String(base[offset], radix: 16, uppercase: true)
    throw place.error(
      file: file, in: base, count: count,
      "the byte 0x\(byte.count == 1 ? "0" : "")\(byte) is not UTF-8; names and class labels must"
        + " be UTF-8 text",
      hint: "convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8")
  }

  /// The cell read as a number.
  func number(in cell: CSVCell) -> ParsedNumber {
    if cell.hasEscapedQuotes { return .invalid }
    return NumberParser.parse(base, from: cell.start, to: cell.end)
  }
}
