import NNProtocols
import Testing

@Suite("Options")
struct OptionsTests {
  @Test("formatReal writes the shortest form that reads back")
  func realFormatting() {
    #expect(formatReal(3) == "3")
    #expect(formatReal(-2) == "-2")
    #expect(formatReal(0.1) == "0.1")
    #expect(formatReal(1e-5) == "1e-05")
    #expect(formatReal(1e20) == "1e+20")
    #expect(Double(formatReal(0.30000000000000004)) == 0.30000000000000004)
  }

  @Test("values print as a model file writes them")
  func valueDescriptions() {
    #expect(OptionValue.integer(4).description == "4")
    #expect(OptionValue.real(0.5).description == "0.5")
    #expect(OptionValue.boolean(true).description == "true")
    #expect(OptionValue.text("full").description == "full")
    #expect(OptionValue.realList([1, 0.5]).description == "1,0.5")
    let reference = ComponentReference(
      kind: .activation, name: "leaky_relu", options: Options([("slope", .real(0.1))]))
    #expect(OptionValue.component(reference).description == "leaky_relu(slope=0.1)")
    #expect(ComponentReference(kind: .loss, name: "mse").description == "mse")
  }

  @Test("expectation describes the valid values of each type")
  func expectations() {
    func spec(_ type: OptionType) -> OptionSpec { OptionSpec("k", type, default: nil, help: "") }
    #expect(spec(.integer()).expectation == "an integer")
    #expect(spec(.integer(1...Int.max)).expectation == "an integer ≥ 1")
    #expect(spec(.integer(1...64)).expectation == "an integer in 1…64")
    #expect(spec(.real()).expectation == "a real number")
    #expect(spec(.real(minimum: 0, minimumExclusive: true)).expectation == "a real number > 0")
    #expect(spec(.real(minimum: 0)).expectation == "a real number ≥ 0")
    #expect(spec(.real(maximum: 1)).expectation == "a real number ≤ 1")
    #expect(spec(.real(minimum: 0, maximum: 1)).expectation == "a real number in [0, 1]")
    #expect(
      spec(.integerOrWord(1...Int.max, words: ["full"])).expectation
        == "an integer ≥ 1 or 'full'")
    #expect(spec(.boolean).expectation == "true or false")
    #expect(spec(.text(choices: ["a", "b"])).expectation == "one of 'a', 'b'")
    #expect(spec(.path).expectation == "a file path")
    #expect(spec(.component(.initializer)).expectation == "the name of a registered initializer")
  }

  @Test("problem(with:) accepts values in range and names what is wrong otherwise")
  func problems() {
    let rate = OptionSpec(
      "lr", .real(minimum: 0, minimumExclusive: true), default: .real(0.1), help: "")
    #expect(rate.problem(with: .real(0.01)) == nil)
    #expect(rate.problem(with: .real(0)) == "expected a real number > 0, got 0")
    #expect(rate.problem(with: .real(.nan)) != nil)
    #expect(rate.problem(with: .text("fast")) == "expected a real number > 0, got 'fast'")
    let batch = OptionSpec(
      "batch", .integerOrWord(1...Int.max, words: ["full"]), default: .text("full"), help: "")
    #expect(batch.problem(with: .integer(32)) == nil && batch.problem(with: .text("full")) == nil)
    #expect(batch.problem(with: .integer(0)) == "expected an integer ≥ 1 or 'full', got 0")
    #expect(batch.problem(with: .text("half")) == "expected an integer ≥ 1 or 'full', got 'half'")
    let mode = OptionSpec("mode", .text(choices: ["fan_in", "fan_out"]), default: nil, help: "")
    #expect(mode.problem(with: .text("fan_in")) == nil)
    #expect(mode.problem(with: .text("fan_ni"))?.hasSuffix("did you mean 'fan_in'?") == true)
    let initializer = OptionSpec("init", .component(.initializer), default: nil, help: "")
    #expect(
      initializer.problem(with: .component(ComponentReference(kind: .activation, name: "relu")))?
        .hasPrefix("expected the name of a registered initializer, got") == true)
  }

  @Test("Options keeps declaration order, reads typed values, compares by values")
  func options() {
    let options = Options([
      ("units", .integer(20)), ("lr", .real(0.5)), ("bias", .boolean(false)),
      ("name", .text("")), ("weights", .realList([1, 2])),
    ])
    #expect(options.order == ["units", "lr", "bias", "name", "weights"])
    #expect(options.integer("units") == 20)
    #expect(options.real("lr") == 0.5)
    #expect(options.real("units") == 20, "an integer is accepted as real")
    #expect(options.boolean("bias") == false)
    #expect(options.optionalText("name") == nil, "empty text is absent")
    #expect(options.realList("weights") == [1, 2])
    #expect(options["missing"] == nil)
    #expect(options.description == "units=20 lr=0.5 bias=false name= weights=1,2")
    let reordered = Options([
      ("lr", .real(0.5)), ("units", .integer(20)), ("bias", .boolean(false)),
      ("name", .text("")), ("weights", .realList([1, 2])),
    ])
    #expect(options == reordered)
    #expect(options.hashValue == reordered.hashValue)
    #expect(Options([("a", .integer(1)), ("a", .integer(2))]).integer("a") == 2)
  }
}
