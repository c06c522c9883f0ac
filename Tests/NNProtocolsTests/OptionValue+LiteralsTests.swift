import NNProtocols
import Testing

@Suite("OptionValue literals")
struct OptionValueLiteralsTests {
  @Test("each literal becomes the option value of its kind")
  func literals() {
    let values: [OptionValue] = [4, 0.05, true, "tanh"]
    #expect(values == [.integer(4), .real(0.05), .boolean(true), .text("tanh")])
  }

  @Test("a dictionary literal gives options in the order written")
  func pairs() {
    let pairs: KeyValuePairs<String, OptionValue> = ["lr": 0.1, "momentum": 0.9]
    #expect(pairs.map(\.key) == ["lr", "momentum"])
    #expect(pairs.map(\.value) == [.real(0.1), .real(0.9)])
  }
}
