import NNProtocols
import Testing

@testable import NNDatasets

@Suite("Eisel–Lemire conversion")
struct NumberParserEiselLemireTests {
  @Test func agreesWithTheStandardLibraryOrDeclines() {
    var generator = SeededGenerator(seed: 21)
    var decided = 0
    var tried = 0
    for _ in 0..<20_000 {
      // 1 to 19 digits, any exponent of the table.
      let digits = Int(generator.next() % 19) + 1
      var m: UInt64 = 0
      for _ in 0..<digits { m = m * 10 + generator.next() % 10 }
      if m == 0 { continue }
      tried += 1
      let q = Int(generator.next() % 81) - 40
      let expected = Double("\(m)e\(q)")!
      if let value = NumberParser.eiselLemire(m, q, negative: false) {
        #expect(value.bitPattern == expected.bitPattern, "\(m)e\(q)")
        decided += 1
      }
      let negative = NumberParser.eiselLemire(m, q, negative: true)
      #expect(negative == nil || negative == -expected)
    }
    // It declines only for products (almost) exactly halfway between two doubles, such as 1e23.
    #expect(Double(decided) > 0.99 * Double(tried))
    #expect(NumberParser.eiselLemire(1, 23, negative: false) == nil)
  }

  @Test func hardCases() {
    // 2^53 + 1 lies exactly halfway between two doubles: the parser must round to even.
    for text in [
      "9007199254740993", "9007199254740995", "1e23", "8.98846567431158e-30",
      "7.2057594037927933e16", "9223372036854775807", "18446744073709551615",
      "1.00000000000000011102230246251565404236316680908203125",
      "1.00000000000000011102230246251565404236316680908203124",
    ] {
      #expect(NumberParser.parse(text) == .value(Double(text)!), "\(text)")
    }
  }
}
