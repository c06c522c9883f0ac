import NNLayers
import NNProtocols
import Testing

@Suite("Registered initializers")
struct ComponentRegistryInitializersTests {
  static let names = [
    "constant", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "kaiming_normal",
    "kaiming_uniform", "normal", "uniform", "xavier_normal", "xavier_uniform", "zeros",
  ]

  @Test func registersEveryInitializerWithSummaryAndHelp() throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinInitializers()
    // The aliases are names of their canonical entries, not entries of their own.
    #expect(
      registry.names(of: .initializer)
        == Self.names.filter { !["kaiming", "xavier"].contains($0.prefix(while: { $0 != "_" })) })
    #expect(
      registry.allAliases(of: .initializer)
        == ["kaiming_normal", "kaiming_uniform", "xavier_normal", "xavier_uniform"])
    for name in Self.names {
      #expect(registry.summary(of: .initializer, named: name)?.isEmpty == false)
      #expect(
        registry.optionSpecs(of: .initializer, named: name)?.allSatisfy { !$0.help.isEmpty } == true
      )
    }
  }

  @Test(arguments: names.filter { $0 != "constant" })
  func makesEachWithDefaultOptions(name: String) throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinInitializers()
    let initializer = try registry.makeInitializer(registry.reference(.initializer, name))
    let w = Matrix<Double>(rows: 20, cols: 30)
    var generator = SeededGenerator(seed: 3)
    initializer.fill(w, fanIn: 30, fanOut: 20, using: &generator)
    #expect(w.scalars.allSatisfy { $0.isFinite })
    #expect(name == "zeros" || Set(w.scalars).count == 600)
  }

  @Test(arguments: [
    ("xavier_uniform", "glorot_uniform"), ("xavier_normal", "glorot_normal"),
    ("kaiming_normal", "he_normal"), ("kaiming_uniform", "he_uniform"),
  ])
  func aliasesFillTheSameValues(alias: String, canonical: String) throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinInitializers()
    let values = try [alias, canonical].map { name in
      let w = Matrix<Float>(rows: 8, cols: 9)
      var generator = SeededGenerator(seed: 4)
      try registry.makeInitializer(registry.reference(.initializer, name))
        .fill(w, fanIn: 9, fanOut: 8, using: &generator)
      return w.scalars
    }
    #expect(values[0] == values[1])
  }

  @Test func optionsReachTheInitializers() throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinInitializers()
    let normal = try registry.makeInitializer(
      registry.reference(.initializer, "normal", [("mean", .real(1)), ("std", .real(0.2))]))
    #expect((normal as? NormalInitializer).map { [$0.mean, $0.std] } == [1, 0.2])
    let uniform = try registry.makeInitializer(
      registry.reference(.initializer, "uniform", [("low", .real(-1)), ("high", .real(2))]))
    #expect((uniform as? UniformInitializer).map { [$0.low, $0.high] } == [-1, 2])
    let constant = try registry.makeInitializer(
      registry.reference(.initializer, "constant", [("value", .real(0.1))]))
    #expect((constant as? ConstantInitializer)?.value == 0.1)
  }

  @Test func invalidOptionsAreRejected() throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinInitializers()
    let rejected: [(String, [(key: String, value: OptionValue)])] = [
      ("normal", [("std", .real(-1))]),
      ("normal", [("sd", .real(1))]),
      ("constant", []),
      ("glorot_uniform", [("gain", .real(2))]),
      ("uniform", [("low", .text("a"))]),
    ]
    for (name, given) in rejected {
      if case .success = registry.resolveOptions(of: .initializer, named: name, given: given) {
        Issue.record("\(name) \(given) was accepted")
      }
    }
    // low < high is checked when the initializer is made.
    let reference = try registry.reference(
      .initializer, "uniform", [("low", .real(1)), ("high", .real(1))])
    #expect(throws: InputError.self) { try registry.makeInitializer(reference) }
  }
}
