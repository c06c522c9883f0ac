/// A JSON value, as found in a safetensors header and in the JSON-valued checkpoint metadata.
///
/// nnpipe reads these with its own small parser rather than `JSONSerialization`, so that every byte
/// sequence gives either a value or an error with its byte offset (never a crash), duplicate keys are
/// rejected instead of one of them being chosen silently, nesting is bounded, and integers stay exact
/// (a number keeps its literal text until it is converted).
package enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number, as its literal text (`"80"`, `"-2.5e3"`).
  case number(String)
  case string(String)
  case array([JSONValue])
  /// An object's members, in the order they were written.
  case object([JSONMember])

  /// The members of an object, or `nil`.
  package var members: [JSONMember]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// The elements of an array, or `nil`.
  package var elements: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  /// The string, or `nil`.
  package var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// What kind of value this is, for error messages: "an object", "a string", ….
  package var kindDescription: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number(let text): "the number \(text)"
    case .string(let text): "the string \(JSONValue.quoted(text))"
    case .array: "an array"
    case .object: "an object"
    }
  }

  /// The value as a non-negative integer, or a description of why it is not one.
  ///
  /// Only plain integer literals count: `80` is 80, while `80.0`, `8e1` and `-1` are refused, as a
  /// safetensors reader must (a size is never a fraction).
  package var nonNegativeInteger: Result<Int, NotAnInteger> {
    guard case .number(let text) = self else { return .failure(.notANumber(kindDescription)) }
    if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
      return .failure(.fraction(text))
    }
    if text.hasPrefix("-") { return text == "-0" ? .success(0) : .failure(.negative(text)) }
    guard let value = Int(text) else { return .failure(.tooLarge(text)) }
    return .success(value)
  }

  /// Why a value is not a non-negative integer.
  package enum NotAnInteger: Error, Equatable, CustomStringConvertible {
    case notANumber(String)
    case fraction(String)
    case negative(String)
    case tooLarge(String)

    package var description: String {
      switch self {
      case .notANumber(let kind): "found \(kind)"
      case .fraction(let text): "found \(text), which is not a whole number"
      case .negative(let text): "found \(text), which is negative"
      case .tooLarge(let text): "found \(text), which is too large for a 64-bit integer"
      }
    }
  }

  /// The compact JSON text of this value.
  package var text: String {
    switch self {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let literal): return literal
    case .string(let string): return JSONValue.quoted(string)
    case .array(let elements): return "[" + elements.map(\.text).joined(separator: ",") + "]"
    case .object(let members):
      return "{"
        + members.map { JSONValue.quoted($0.key) + ":" + $0.value.text }
        .joined(separator: ",") + "}"
    }
  }

  /// `text` as a JSON string literal: quotes, backslashes and control characters escaped; everything
  /// else written as UTF-8.
  package static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  /// A JSON number for `value`: the shortest text that reads back as the same `Double`, or `null` for
  /// NaN and infinities, which JSON cannot express.
  package static func number(_ value: Double) -> JSONValue {
    value.isFinite ? .number("\(value)") : .null
  }

  /// Parses UTF-8 JSON `bytes` (one value, optionally surrounded by whitespace).
  package static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: Array(bytes))
    return try parser.parseDocument()
  }

  /// Parses JSON `text`.
  package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8))
  }
}

/// One `"key": value` member of a JSON object.
package struct JSONMember: Sendable, Equatable {
  package var key: String
  package var value: JSONValue

  package init(key: String, value: JSONValue) {
    self.key = key
    self.value = value
  }
}

/// A JSON syntax error at a byte offset of the parsed text.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The 0-based byte offset where parsing stopped.
  package var offset: Int
  /// What was expected there.
  package var message: String

  package var description: String { "at byte \(offset): \(message)" }
}

/// A recursive-descent parser for RFC 8259 JSON over bytes.
private struct JSONParser {
  /// Deeper nesting is refused, so that hostile input cannot exhaust the stack.
  static let maximumDepth = 64

  let bytes: [UInt8]
  var index = 0
  var depth = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else {
      throw fail("unexpected \(found()) after the end of the JSON value")
    }
    return value
  }

  func fail(_ message: String) -> JSONParseError {
    JSONParseError(offset: index, message: message)
  }

  /// The byte at `index`, described for an error message.
  func found() -> String {
    guard index < bytes.count else { return "end of text" }
    let byte = bytes[index]
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    let hex = String(byte, radix: 16, uppercase: true)
    return "byte 0x" + (hex.count < 2 ? "0" : "") + hex
  }

  mutating func skipWhitespace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
    guard index < bytes.count, bytes[index] == byte else {
      throw fail("expected \(what), found \(found())")
    }
    index += 1
  }

  mutating func parseValue() throws(JSONParseError) -> JSONValue {
    guard index < bytes.count else {
      throw fail("expected a value, found end of text")
    }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default:
      throw fail(
        "expected a value (object, array, string, number, true, false or null), found \(found())")
    }
  }

  mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONParseError)
    -> JSONValue
  {
    let literal = Array(word.utf8)
    guard bytes.count - index >= literal.count,
      Array(bytes[index..<index + literal.count]) == literal
    else { throw fail("expected '\(word)', found \(found())") }
    index += literal.count
    return value
  }

  mutating func enterNesting() throws(JSONParseError) {
    depth += 1
    guard depth <= Self.maximumDepth else {
      throw fail("nesting is deeper than \(Self.maximumDepth) levels")
    }
  }

  mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enterNesting()
    index += 1  // "{"
    var members: [JSONMember] = []
    var seen: Set<String> = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw fail("expected a string key, found \(found())")
      }
      let keyOffset = index
      let key = try parseString()
      guard seen.insert(key).inserted else {
        throw JSONParseError(offset: keyOffset, message: "duplicate key \(JSONValue.quoted(key))")
      }
      skipWhitespace()
      try expect(UInt8(ascii: ":"), "':' after key \(JSONValue.quoted(key))")
      skipWhitespace()
      members.append(JSONMember(key: key, value: try parseValue()))
      skipWhitespace()
      guard index < bytes.count else { throw fail("expected ',' or '}', found end of text") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "}"), "',' or '}'")
      depth -= 1
      return .object(members)
    }
  }

  mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enterNesting()
    index += 1  // "["
    var elements: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else { throw fail("expected ',' or ']', found end of text") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "]"), "',' or ']'")
      depth -= 1
      return .array(elements)
    }
  }

  /// A number by the JSON grammar `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    func isDigit(_ i: Int) -> Bool {
      i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
    }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard isDigit(index) else { throw fail("expected a digit, found \(found())") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if isDigit(index) { throw fail("a number must not start with 0 followed by digits") }
    } else {
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard isDigit(index) else { throw fail("expected a digit after '.', found \(found())") }
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard isDigit(index) else { throw fail("expected a digit in the exponent, found \(found())") }
      while isDigit(index) { index += 1 }
    }
    return .number(String(decoding: bytes[start..<index], as: UTF8.self))
  }

  /// A string literal, escapes decoded (`\uD83D\uDE00` pairs included).
  mutating func parseString() throws(JSONParseError) -> String {
    index += 1  // opening quote
    var scalars = String.UnicodeScalarView()
    var runStart = index  // start of the current run of plain bytes
    func flush(_ end: Int) {
      scalars.append(
        contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
    }
    while true {
      guard index < bytes.count else { throw fail("unterminated string") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        flush(index)
        index += 1
        return String(scalars)
      }
      if byte < 0x20 {
        throw fail("control character \(found()) inside a string must be escaped")
      }
      if byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      flush(index)
      index += 1
      guard index < bytes.count else { throw fail("unterminated escape sequence") }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code) {
          // A high surrogate must be followed by `\u` and a low surrogate: together one scalar.
          guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
          else { throw fail("a high surrogate \\u escape must be followed by a low surrogate") }
          index += 2
          let low = try parseHex4()
          guard (0xDC00..<0xE000).contains(low) else {
            throw fail("expected a low surrogate \\u escape (DC00–DFFF)")
          }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else {
          throw fail("\\u escape is a lone low surrogate")
        }
        scalars.append(scalar)
      default:
        index -= 1
        throw fail("unknown escape '\\' followed by \(found())")
      }
      runStart = index
    }
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard index < bytes.count, let digit = Self.hexValue(bytes[index]) else {
        throw fail("expected 4 hexadecimal digits after \\u, found \(found())")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}
