import NNProtocols

/// The first stage of reading a model description: text → statements of raw tokens.
///
/// Every token keeps where it came from (line and 1-based column, counted in characters, a tab being
/// one), so every later error can point at it. Values are kept as written: what `0.1` or
/// `normal(std=0.2)` means depends on the type of the option it is given to, which only the parser
/// knows (see `ModelParser`).
///
/// The syntax, line by line:
/// ```
/// line      := statement? comment?
/// statement := keyword name? option*            (name only after data, layer, loss, optimizer, schedule)
/// option    := key '=' value                    (no spaces around '=')
/// value     := word | "quoted string" | name '(' key=value (',' key=value)* ')'
/// comment   := '#' anything                      ('#' inside a quoted string is text)
/// ```
enum ModelLexer {
  /// Where a piece of text came from, for error messages.
  enum Origin: Equatable, Sendable {
    /// Line and column (both 1-based; columns count characters) in the model text.
    case file(line: Int, column: Int)
    /// A `--set` override, as the user typed it.
    case override(String)
    /// The model as a whole (e.g. a missing statement).
    case model

    /// The origin `offset` characters further along the same line.
    func advanced(by offset: Int) -> Origin {
      if case .file(let line, let column) = self {
        return .file(line: line, column: column + offset)
      }
      return self
    }
  }

  /// A problem found while reading, before it is turned into an `InputError`.
  struct Diagnostic: Equatable, Sendable {
    var origin: Origin
    var message: String
    /// A note on how to fix it, shown after the message.
    var hint: String?

    init(origin: Origin, message: String, hint: String? = nil) {
      self.origin = origin
      self.message = message
      self.hint = hint
    }
  }

  /// A word (keyword, component name, key) and where it starts.
  struct Token: Equatable, Sendable {
    var text: String
    var origin: Origin
  }

  /// A value exactly as written (quotes and parentheses included), interpreted later by option type.
  struct Value: Equatable, Sendable {
    var characters: [Character]
    var origin: Origin
    /// A syntax error in it has been reported already; it is skipped without further messages.
    var isBroken = false

    var text: String { String(characters) }
  }

  /// `key=value`.
  struct Option: Equatable, Sendable {
    var key: Token
    var value: Value
  }

  /// One statement: its keyword, the component name (for component statements) and its options.
  struct Statement: Equatable, Sendable {
    var kind: ModelStatement
    var keyword: Token
    /// The component name; `nil` for a statement of fixed keys, or when it is missing (reported).
    var name: Token?
    var options: [Option]
  }

  /// A component value `name` or `name(key=value, …)`, split into its parts.
  struct ComponentSyntax: Equatable, Sendable {
    var name: Token
    var options: [Option]
  }

  /// The lines of `text`, split at LF, CRLF or CR, without their terminators (a leading byte-order
  /// mark is dropped).
  static func lines(of text: String) -> [[Character]] {
    withBytes(of: text) { bytes in
      lineRanges(of: bytes).map { Array(String(decoding: bytes[$0], as: UTF8.self)) }
    }
  }

  /// Calls `body` with the UTF-8 bytes of `text`.
  static func withBytes<T>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    return Array(text.utf8).withUnsafeBufferPointer(body)
  }

  /// The byte ranges of the lines of `bytes` (LF, CRLF or CR end a line), without their terminators
  /// and without a leading byte-order mark. One pass over the bytes; nothing else is allocated.
  static func lineRanges(of bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var index = start
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A || byte == 0x0D {
        ranges.append(start..<index)
        index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        start = index
      } else {
        index += 1
      }
    }
    ranges.append(start..<bytes.count)
    return ranges
  }

  /// The longest line, in UTF-8 bytes, read as a statement; a longer line is reported, not read (a
  /// statement is a keyword, a name and a few options: far shorter).
  static let longestLine = 65_536

  /// The most syntax problems reported; after them, reading stops (a file that is not a model
  /// description at all gets a bounded list, not one error per line).
  static let mostDiagnostics = 50

  /// Reads every line of `text`: the statements, and every syntax problem found (at most
  /// `mostDiagnostics`, then a note that reading stopped). The work is bounded by the text's length:
  /// a line longer than `longestLine` is reported without being read.
  static func statements(in text: String) -> (statements: [Statement], diagnostics: [Diagnostic]) {
    var statements: [Statement] = []
    var diagnostics: [Diagnostic] = []
    withBytes(of: text) { bytes in
      for (index, range) in lineRanges(of: bytes).enumerated() {
        if diagnostics.count >= mostDiagnostics {
          diagnostics.append(
            Diagnostic(
              origin: .file(line: index + 1, column: 1),
              message: "too many errors (\(diagnostics.count)); stopped reading the file here"))
          return
        }
        if range.count > longestLine {
          diagnostics.append(
            Diagnostic(
              origin: .file(line: index + 1, column: 1),
              message:
                "line \(index + 1) is \(range.count) bytes long; a model line is at most"
                + " \(longestLine) bytes",
              hint: "is this a model description? Statements are short: 'layer dense units=8'"))
          continue
        }
        let line = Array(String(decoding: bytes[range], as: UTF8.self))
        if let statement = statement(in: line, lineNumber: index + 1, diagnostics: &diagnostics) {
          statements.append(statement)
        }
      }
    }
    return (statements, diagnostics)
  }

  // MARK: - Chunks

  /// A run of characters between spaces, where spaces inside quotes or parentheses do not split.
  struct Chunk {
    var characters: [Character]
    /// The index in the line of its first character.
    var start: Int
    var isBroken: Bool
  }

  /// Scans one chunk starting at `start`: up to unquoted, unparenthesized whitespace (when
  /// `stopAtWhitespace`), a `#` outside quotes (when `stopAtComment`), or the end. Reports unterminated
  /// quotes and unbalanced parentheses.
  static func scanChunk(
    _ characters: [Character], from start: Int, origin: Origin, stopAtWhitespace: Bool,
    stopAtComment: Bool, diagnostics: inout [Diagnostic]
  ) -> Chunk {
    var index = start
    var openParentheses: [Int] = []
    var isBroken = false
    scan: while index < characters.count {
      let character = characters[index]
      switch character {
      case "\"":
        guard let closing = closingQuote(in: characters, openingAt: index) else {
          diagnostics.append(
            Diagnostic(
              origin: origin.advanced(by: index),
              message: "unterminated quoted string; add the closing '\"'"))
          return Chunk(
            characters: Array(characters[start...]), start: start, isBroken: true)
        }
        index = closing + 1
        continue scan
      case "#" where stopAtComment:
        break scan
      case "(":
        openParentheses.append(index)
      case ")":
        if openParentheses.isEmpty {
          diagnostics.append(
            Diagnostic(
              origin: origin.advanced(by: index),
              message: "unbalanced parentheses: this ')' has no matching '('"))
          isBroken = true
        } else {
          openParentheses.removeLast()
        }
      default:
        if stopAtWhitespace, character.isWhitespace, openParentheses.isEmpty { break scan }
      }
      index += 1
    }
    if let unclosed = openParentheses.first {
      diagnostics.append(
        Diagnostic(
          origin: origin.advanced(by: unclosed),
          message: "unbalanced parentheses: this '(' is never closed"))
      isBroken = true
    }
    return Chunk(characters: Array(characters[start..<index]), start: start, isBroken: isBroken)
  }

  /// The index of the `"` closing the string opened at `opening` (`\"` and `\\` are escapes).
  static func closingQuote(in characters: [Character], openingAt opening: Int) -> Int? {
    var index = opening + 1
    while index < characters.count {
      if characters[index] == "\\", index + 1 < characters.count {
        index += 2
        continue
      }
      if characters[index] == "\"" { return index }
      index += 1
    }
    return nil
  }

  /// The text of a quoted string whose opening quote is `characters[0]` and closing quote
  /// `characters[closing]`: `\"` → `"`, `\\` → `\`; any other backslash is kept as written.
  static func unquote(_ characters: ArraySlice<Character>) -> String {
    var text = ""
    var index = characters.startIndex
    while index < characters.endIndex {
      let character = characters[index]
      if character == "\\", index + 1 < characters.endIndex,
        characters[index + 1] == "\"" || characters[index + 1] == "\\"
      {
        text.append(characters[index + 1])
        index += 2
        continue
      }
      text.append(character)
      index += 1
    }
    return text
  }

  /// The indices of `target` outside quotes and parentheses.
  static func topLevelIndices(of target: Character, in characters: [Character]) -> [Int] {
    var result: [Int] = []
    var depth = 0
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "\"" {
        guard let closing = closingQuote(in: characters, openingAt: index) else { break }
        index = closing + 1
        continue
      }
      if character == "(" { depth += 1 }
      if character == ")" { depth = max(0, depth - 1) }
      if character == target, depth == 0 { result.append(index) }
      index += 1
    }
    return result
  }

  // MARK: - Statements

  /// Reads one line: `nil` for a blank or comment-only line, or a line whose keyword is unknown.
  static func statement(
    in line: [Character], lineNumber: Int, diagnostics: inout [Diagnostic]
  ) -> Statement? {
    let lineOrigin = Origin.file(line: lineNumber, column: 1)
    var chunks: [Chunk] = []
    var index = 0
    while index < line.count {
      if line[index].isWhitespace {
        index += 1
        continue
      }
      if line[index] == "#" { break }
      let chunk = scanChunk(
        line, from: index, origin: lineOrigin, stopAtWhitespace: true, stopAtComment: true,
        diagnostics: &diagnostics)
      chunks.append(chunk)
      index = chunk.start + chunk.characters.count
    }
    guard let first = chunks.first, !first.isBroken else { return nil }
    func origin(_ chunk: Chunk, _ offset: Int = 0) -> Origin {
      lineOrigin.advanced(by: chunk.start + offset)
    }

    // The keyword.
    let keywordText = String(first.characters)
    if let equals = topLevelIndices(of: "=", in: first.characters).first {
      let key = String(first.characters[..<equals])
      let owners = ModelStatement.allCases.filter { $0.options.contains { $0.name == key } }
      let advice =
        owners.isEmpty
        ? ""
        : "; '\(key)' is an option of "
          + owners.map { "'\($0.keyword)'" }.joined(separator: " and ")
      diagnostics.append(
        Diagnostic(
          origin: origin(first),
          message:
            "a line must start with a statement keyword, not \(DisplayText.quoted(keywordText))"
            + advice))
      return nil
    }
    guard let kind = ModelStatement(rawValue: keywordText) else {
      diagnostics.append(
        Diagnostic(origin: origin(first), message: unknownStatementMessage(keywordText)))
      return nil
    }
    let keyword = Token(text: keywordText, origin: origin(first))
    var rest = chunks.dropFirst()

    // The component name.
    var name: Token?
    if let componentKind = kind.componentKind {
      if let candidate = rest.first, topLevelIndices(of: "=", in: candidate.characters).isEmpty,
        candidate.characters.first != "="
      {
        rest = rest.dropFirst()
        if let parenthesis = candidate.characters.firstIndex(of: "(") {
          diagnostics.append(
            Diagnostic(
              origin: origin(candidate, parenthesis),
              message:
                "write the options of a \(componentKind.rawValue) as key=value after its name: "
                + "'\(kind.keyword) \(String(candidate.characters[..<parenthesis])) key=value'"))
        } else if !candidate.isBroken {
          name = Token(text: String(candidate.characters), origin: origin(candidate))
        }
      } else {
        let column =
          rest.first.map { origin($0) } ?? keyword.origin.advanced(by: keywordText.count)
        diagnostics.append(
          Diagnostic(
            origin: column,
            message:
              "missing the \(componentKind.rawValue) name after '\(keywordText)': "
              + "write '\(keywordText) NAME key=value…'"))
      }
    }

    // The options.
    var options: [Option] = []
    var keys: Set<String> = []
    let list = Array(rest)
    var position = 0
    func add(_ option: Option) {
      if !keys.insert(option.key.text).inserted {
        diagnostics.append(
          Diagnostic(
            origin: option.key.origin,
            message: "option \(DisplayText.quoted(option.key.text)) is given twice"))
      } else {
        options.append(option)
      }
    }
    while position < list.count, diagnostics.count < mostDiagnostics {
      let chunk = list[position]
      position += 1
      let characters = chunk.characters
      let equalsSigns = topLevelIndices(of: "=", in: characters)
      guard let equals = equalsSigns.first else {
        // `lr =0.1` or `lr = 0.1`: spaces around '='.
        if position < list.count, list[position].characters.first == "=" {
          let next = list[position]
          position += 1
          var written = String(characters) + String(next.characters)
          if next.characters.count == 1, position < list.count {
            written += String(list[position].characters)
            position += 1
          }
          diagnostics.append(
            Diagnostic(
              origin: origin(next),
              message: "unexpected space around '='; write \(DisplayText.quoted(written))"))
          add(
            Option(
              key: Token(text: String(characters), origin: origin(chunk)),
              value: Value(characters: [], origin: origin(next), isBroken: true)))
          continue
        }
        if !chunk.isBroken {
          diagnostics.append(
            Diagnostic(
              origin: origin(chunk),
              message: "expected key=value, got \(DisplayText.quoted(String(characters)))"))
        }
        continue
      }
      let key = String(characters[..<equals])
      let valueCharacters = Array(characters[(equals + 1)...])
      if key.isEmpty {
        diagnostics.append(
          Diagnostic(
            origin: origin(chunk),
            message: characters.count == 1 ? "stray '='" : "missing key before '='"))
        continue
      }
      let keyToken = Token(text: key, origin: origin(chunk))
      if valueCharacters.isEmpty {
        // `lr= 0.1`: a space after '='.
        if position < list.count, topLevelIndices(of: "=", in: list[position].characters).isEmpty {
          let next = list[position]
          position += 1
          diagnostics.append(
            Diagnostic(
              origin: origin(chunk, equals + 1),
              message:
                "unexpected space after '='; write "
                + DisplayText.quoted("\(key)=\(String(next.characters))")))
        } else {
          diagnostics.append(
            Diagnostic(
              origin: origin(chunk, equals + 1),
              message: "missing value after \(DisplayText.quoted(key + "="))"))
        }
        add(
          Option(key: keyToken, value: Value(characters: [], origin: origin(chunk), isBroken: true))
        )
        continue
      }
      var value = Value(
        characters: valueCharacters, origin: origin(chunk, equals + 1), isBroken: chunk.isBroken)
      if !chunk.isBroken, equalsSigns.count > 1 {
        diagnostics.append(
          Diagnostic(
            origin: origin(chunk, equalsSigns[1]),
            message:
              "stray '=' in the value of \(DisplayText.quoted(key)); quote a value that contains '='"
          ))
        value.isBroken = true
      }
      add(Option(key: keyToken, value: value))
    }
    return Statement(kind: kind, keyword: keyword, name: name, options: options)
  }

  /// `unknown statement 'optimiser'; did you mean 'optimizer'?` (or the list of statements).
  static func unknownStatementMessage(_ word: String) -> String {
    let keywords = ModelStatement.allCases.map(\.keyword)
    if let suggestion = closestName(to: word, in: keywords) {
      return "unknown statement \(DisplayText.quotedWithNote(word)); did you mean '\(suggestion)'?"
    }
    return "unknown statement \(DisplayText.quoted(word)); expected one of: "
      + keywords.joined(separator: ", ")
  }

  // MARK: - Component values

  /// Whether `character` may be part of a name or key.
  static func isNameCharacter(_ character: Character) -> Bool {
    !character.isWhitespace && !"()=,\"#".contains(character)
  }

  /// Splits a component value `name` or `name(key=value, key=value)` into its name and options.
  ///
  /// Inside the parentheses, options are separated by commas (spaces around them are allowed); a comma
  /// followed by a digit, sign or point continues a list (`weights=1,2,3`). Values nest:
  /// `activation=leaky_relu(slope=0.1)` inside a layer's option. Returns `nil` after reporting a
  /// syntax error.
  static func component(
    _ value: Value, kind: ComponentKind, diagnostics: inout [Diagnostic]
  ) -> ComponentSyntax? {
    let characters = value.characters
    func report(_ offset: Int, _ message: String) -> ComponentSyntax? {
      diagnostics.append(Diagnostic(origin: value.origin.advanced(by: offset), message: message))
      return nil
    }
    func skipSpaces(_ index: inout Int) {
      while index < characters.count, characters[index].isWhitespace { index += 1 }
    }
    var index = 0
    while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
    guard index > 0 else {
      return report(
        0, "expected the name of a \(kind.rawValue), got \(DisplayText.quoted(value.text))")
    }
    let name = Token(text: String(characters[..<index]), origin: value.origin)
    guard index < characters.count else { return ComponentSyntax(name: name, options: []) }
    guard characters[index] == "(" else {
      return report(
        index,
        "unexpected \(DisplayText.quoted(String(characters[index]))) after "
          + DisplayText.quoted(name.text))
    }
    let opening = index
    index += 1
    var options: [Option] = []
    var keys: Set<String> = []
    var afterComma = false
    while true {
      skipSpaces(&index)
      guard index < characters.count else {
        return report(opening, "unbalanced parentheses: this '(' is never closed")
      }
      if characters[index] == ")" {
        if afterComma { return report(index, "expected key=value after ','") }
        index += 1
        break
      }
      // key
      let keyStart = index
      while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
      guard index > keyStart else {
        if characters[index] == "=" { return report(index, "missing key before '='") }
        return report(
          index, "expected key=value, got \(DisplayText.quoted(String(characters[index])))")
      }
      let key = Token(
        text: String(characters[keyStart..<index]), origin: value.origin.advanced(by: keyStart))
      guard index < characters.count, characters[index] == "=" else {
        return report(
          keyStart, "expected key=value inside the parentheses, got \(DisplayText.quoted(key.text))"
        )
      }
      index += 1
      // value
      let valueStart = index
      var depth = 0
      scan: while index < characters.count {
        let character = characters[index]
        switch character {
        case "\"":
          guard let closing = closingQuote(in: characters, openingAt: index) else {
            return report(index, "unterminated quoted string; add the closing '\"'")
          }
          index = closing + 1
          continue scan
        case "(":
          depth += 1
        case ")":
          if depth == 0 { break scan }
          depth -= 1
        case "=" where depth == 0:
          return report(
            index,
            "stray '=' in the value of \(DisplayText.quoted(key.text)); quote a value that contains '='"
          )
        case "," where depth == 0:
          let next = index + 1 < characters.count ? characters[index + 1] : " "
          if !(next.isNumber || "+-.".contains(next)) { break scan }
        default:
          if depth == 0, character.isWhitespace { break scan }
        }
        index += 1
      }
      guard index > valueStart else {
        return report(valueStart, "missing value after \(DisplayText.quoted(key.text + "="))")
      }
      let option = Option(
        key: key,
        value: Value(
          characters: Array(characters[valueStart..<index]),
          origin: value.origin.advanced(by: valueStart)))
      if !keys.insert(key.text).inserted {
        diagnostics.append(
          Diagnostic(
            origin: key.origin, message: "option \(DisplayText.quoted(key.text)) is given twice"))
      } else {
        options.append(option)
      }
      skipSpaces(&index)
      guard index < characters.count else {
        return report(opening, "unbalanced parentheses: this '(' is never closed")
      }
      if characters[index] == "," {
        index += 1
        afterComma = true
        continue
      }
      if characters[index] == ")" {
        index += 1
        break
      }
      return report(index, "expected ',' or ')' after the value of '\(key.text)'")
    }
    guard index == characters.count else {
      return report(
        index, "unexpected text after ')': \(DisplayText.quoted(String(characters[index...])))")
    }
    return ComponentSyntax(name: name, options: options)
  }
}
