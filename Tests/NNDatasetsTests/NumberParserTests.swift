import NNDatasets
import NNProtocols
import Testing

@Suite("number parser")
struct NumberParserTests {
  @Test func agreesWithTheStandardLibraryBitForBit() {
    var generator = SeededGenerator(seed: 11)
    var texts = [
      "0", "-0", "5.1", "0.1", "1e-3", "1E+3", ".5", "3.", "+2", "123456789012345678901234567890",
      "0.000000000000000000000000000123", "1.7976931348623157e308", "4.9e-324",
      "2.2250738585072014e-308",
      "9007199254740993", "0.30000000000000004", "  7 ", "\t-2.5",
    ]
    for _ in 0..<3000 {
      let value = (generator.uniform() - 0.5) * pow10(Int(generator.next() % 40) - 20)
      texts.append(String(value))
      texts.append(String(format6(value)))
    }
    for text in texts {
      let trimmed = text.trimmingCharacters()
      #expect(NumberParser.parse(text) == .value(Double(trimmed)!), "\(text)")
      if case .value(let v) = NumberParser.parse(text) {
        #expect(v.sign == Double(trimmed)!.sign, "\(text)")
      }
    }
  }

  @Test func nonFiniteEmptyAndInvalid() {
    for text in ["nan", "NaN", "-nan", "inf", "+INF", "Infinity", "-infinity", "1e400", "-2e308"] {
      #expect(NumberParser.parse(text) == .nonFinite, "\(text)")
    }
    for text in ["", "  ", "\t"] { #expect(NumberParser.parse(text) == .empty) }
    for text in [
      "abc", "1.2.3", "1e", "e5", "-", ".", "0x10", "1,5", "1 2", "NA", "infinit", "--1",
    ] {
      #expect(NumberParser.parse(text) == .invalid, "\(text)")
    }
  }

  /// 10^k as a Double.
  func pow10(_ k: Int) -> Double {
    k >= 0 ? (0..<k).reduce(1.0) { r, _ in r * 10 } : 1 / pow10(-k)
  }

  /// Six significant digits, as data files often hold.
  func format6(_ value: Double) -> String {
    let scaled = (value * 1e6).rounded() / 1e6
    return String(scaled)
  }
}

extension String {
  fileprivate func trimmingCharacters() -> String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}
