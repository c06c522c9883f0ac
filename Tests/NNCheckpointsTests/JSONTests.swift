import Testing

@testable import NNCheckpoints

@Suite struct JSONTests {
  @Test func parsesEveryKindOfValue() throws {
    let value = try JSONValue.parse(
      #" { "a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": {} , "f": [] } "#)
    #expect(
      value
        == .object([
          JSONMember(
            key: "a",
            value: .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
          JSONMember(key: "b", value: .object([JSONMember(key: "c", value: .string("d"))])),
          JSONMember(key: "e", value: .object([])),
          JSONMember(key: "f", value: .array([])),
        ]))
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let value = try JSONValue.parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \uD83D\uDE00 ü""#)
    #expect(value == .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t é 😀 ü"))
  }

  @Test func quotedTextReadsBackAsTheSameString() throws {
    for text in ["", "plain", "a\"b\\c", "line\nbreak\ttab\r", "\u{01}\u{1F}", "é 😀", "</svg>"] {
      #expect(try JSONValue.parse(JSONValue.quoted(text)) == .string(text))
    }
    #expect(JSONValue.quoted("\u{01}") == #""\u0001""#)
  }

  @Test(arguments: [
    (#"{"a" 1}"#, 5, "expected ':' after key \"a\", found '1'"),
    (#"{"a":1,}"#, 7, "expected a string key, found '}'"),
    (#"[1 2]"#, 3, "expected ',' or ']', found '2'"),
    (#"{"a":1}x"#, 7, "unexpected 'x' after the end of the JSON value"),
    (#"{"a":1,"a":2}"#, 7, "duplicate key \"a\""),
    (#""abc"#, 4, "unterminated string"),
    ("\"a\nb\"", 2, "control character byte 0x0A inside a string must be escaped"),
    (#""\x""#, 2, #"unknown escape '\' followed by 'x'"#),
    (#""\u12G4""#, 5, #"expected 4 hexadecimal digits after \u, found 'G'"#),
    (#""\uD800x""#, 7, #"a high surrogate \u escape must be followed by a low surrogate"#),
    (#""\uDC00""#, 7, #"\u escape is a lone low surrogate"#),
    ("01", 1, "a number must not start with 0 followed by digits"),
    ("1.", 2, "expected a digit after '.', found end of text"),
    ("1e+", 3, "expected a digit in the exponent, found end of text"),
    ("-", 1, "expected a digit, found end of text"),
    ("tru", 0, "expected 'true', found 't'"),
    ("", 0, "expected a value, found end of text"),
    ("@", 0, "expected a value (object, array, string, number, true, false or null), found '@'"),
  ])
  func reportsSyntaxErrorsWithTheirByteOffset(text: String, offset: Int, message: String) {
    #expect(throws: JSONParseError(offset: offset, message: message)) {
      try JSONValue.parse(text)
    }
  }

  @Test func refusesNestingDeeperThanTheLimit() throws {
    let limit = 64
    let deepEnough = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect(throws: Never.self) { try JSONValue.parse(deepEnough) }
    let tooDeep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONParseError(offset: limit, message: "nesting is deeper than 64 levels")) {
      try JSONValue.parse(tooDeep)
    }
  }

  @Test func convertsOnlyPlainIntegerLiteralsToCounts() {
    #expect(JSONValue.number("80").nonNegativeInteger == .success(80))
    #expect(JSONValue.number("-0").nonNegativeInteger == .success(0))
    #expect(JSONValue.number("80.0").nonNegativeInteger == .failure(.fraction("80.0")))
    #expect(JSONValue.number("8e1").nonNegativeInteger == .failure(.fraction("8e1")))
    #expect(JSONValue.number("-3").nonNegativeInteger == .failure(.negative("-3")))
    #expect(
      JSONValue.number("99999999999999999999").nonNegativeInteger
        == .failure(.tooLarge("99999999999999999999")))
    #expect(JSONValue.string("8").nonNegativeInteger == .failure(.notANumber("the string \"8\"")))
  }

  @Test func writesCompactTextThatParsesBack() throws {
    let value: JSONValue = .object([
      JSONMember(key: "k\"", value: .array([.number("1"), .null, .bool(true), .string("x")]))
    ])
    #expect(value.text == #"{"k\"":[1,null,true,"x"]}"#)
    #expect(try JSONValue.parse(value.text) == value)
    #expect(JSONValue.number(0.1) == .number("0.1"))
    #expect(JSONValue.number(.nan) == .null)
    #expect(JSONValue.number(-.infinity) == .null)
  }
}
