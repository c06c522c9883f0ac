import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("registerBuiltinActivations")
struct ComponentRegistryActivationsTests {
  @Test("registers every built-in under its canonical name, aliases on their entries")
  func registersEveryBuiltin() throws {
    let registry = try builtinActivationRegistry()
    let expected: Set = [
      "identity", "sign", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu",
      "softplus", "gelu", "silu", "mish", "hard_sigmoid", "hard_tanh", "relu6", "hard_swish",
      "softsign", "log_sigmoid",
    ]
    #expect(Set(registry.names(of: .activation)) == expected)
    #expect(registry.allAliases(of: .activation) == ["hard_silu", "linear", "swish"])
    #expect(registry.aliases(of: .activation, named: "silu") == ["swish"])
    #expect(registry.aliases(of: .activation, named: "swish") == ["swish"])
  }

  @Test("each alias builds the same activation as its canonical name, under the canonical name")
  func aliasesResolve() throws {
    let registry = try builtinActivationRegistry()
    let points = (-40...40).map { Double($0) / 8 }
    for alias in registry.allAliases(of: .activation) {
      let canonical = try #require(registry.canonicalName(alias, of: .activation))
      #expect(canonical != alias && registry.names(of: .activation).contains(canonical))
      #expect(try registry.reference(.activation, alias).name == canonical)
      let (viaAlias, direct) = (try makeActivation(alias), try makeActivation(canonical))
      #expect(viaAlias.name == canonical)
      #expect(viaAlias.outputRange == direct.outputRange)
      #expect(bufferPath(viaAlias, at: points).values == bufferPath(direct, at: points).values)
      #expect(
        registry.summary(of: .activation, named: alias)
          == registry.summary(of: .activation, named: canonical))
    }
  }

  @Test("each built activation reports the name it is registered under")
  func namesMatch() throws {
    for name in try builtinActivationRegistry().names(of: .activation) {
      #expect(try makeActivation(name).name == name)
    }
  }

  @Test("only sign and step are untrainable")
  func trainability() throws {
    for name in builtinActivationNames {
      #expect(try makeActivation(name).isTrainable == !["sign", "step"].contains(name), "\(name)")
    }
  }

  @Test("every entry has a summary with a formula, and every option has help and a valid default")
  func documentation() throws {
    let registry = try builtinActivationRegistry()
    for name in registry.names(of: .activation) {
      let summary = try #require(registry.summary(of: .activation, named: name))
      #expect(!summary.isEmpty && summary.contains("="), "\(name): summary '\(summary)'")
      for spec in registry.optionSpecs(of: .activation, named: name) ?? [] {
        #expect(!spec.help.isEmpty, "\(name).\(spec.name) has no help text")
        let defaultValue = try #require(spec.defaultValue, "\(name).\(spec.name) has no default")
        #expect(spec.problem(with: defaultValue) == nil, "\(name).\(spec.name): invalid default")
      }
    }
  }

  @Test("registering the built-ins twice throws DuplicateName")
  func duplicatesThrow() throws {
    var registry = try builtinActivationRegistry()
    #expect(throws: ComponentRegistry.DuplicateName.self) {
      try registry.registerBuiltinActivations()
    }
  }

  @Test("a user activation named like a built-in throws DuplicateName; a new name is accepted")
  func userActivations() throws {
    var registry = try builtinActivationRegistry()
    do {
      try registry.registerActivation("relu", summary: "mine") { _ in ReLU() }
      Issue.record("registering 'relu' twice did not throw")
    } catch let error as ComponentRegistry.DuplicateName {
      #expect(error.kind == .activation && error.name == "relu")
    }
    try registry.registerActivation("my_relu", summary: "a copy: g(z) = max(z, 0)") { _ in ReLU() }
    #expect(registry.names(of: .activation).contains("my_relu"))
  }

  @Test(
    "out-of-range and mistyped options are rejected by resolveOptions",
    arguments: [
      ("leaky_relu", "slope", OptionValue.real(-1)),
      ("leaky_relu", "slope", .real(.nan)),
      ("leaky_relu", "slope", .text("steep")),
      ("elu", "alpha", .real(0)),
      ("elu", "alpha", .real(-0.5)),
      ("softplus", "beta", .real(0)),
      ("softplus", "threshold", .real(-20)),
      ("gelu", "approximate", .text("fast")),
      ("gelu", "approximate", .boolean(true)),
    ])
  func invalidOptions(name: String, key: String, value: OptionValue) throws {
    let registry = try builtinActivationRegistry()
    let result = registry.resolveOptions(of: .activation, named: name, given: [(key, value)])
    guard case .failure(let problems) = result else {
      Issue.record("\(name)(\(key)=\(value)) was accepted")
      return
    }
    #expect(problems.problems.count == 1)
    #expect(problems.problems.first?.key == key)
    #expect(problems.description.contains(key))
  }

  @Test("an unknown option gets a suggestion; an option-less activation says it has none")
  func unknownOptions() throws {
    let registry = try builtinActivationRegistry()
    guard
      case .failure(let problems) = registry.resolveOptions(
        of: .activation, named: "leaky_relu", given: [("slop", .real(0.1))])
    else {
      Issue.record("'slop' was accepted")
      return
    }
    #expect(problems.description.contains("did you mean 'slope'?"))
    guard
      case .failure(let none) = registry.resolveOptions(
        of: .activation, named: "relu", given: [("slope", .real(0.1))])
    else {
      Issue.record("relu accepted an option")
      return
    }
    #expect(none.description.contains("it has none"))
  }

  @Test("defaults are filled in as documented")
  func defaults() throws {
    let registry = try builtinActivationRegistry()
    #expect(
      try registry.reference(.activation, "leaky_relu").description == "leaky_relu(slope=0.01)")
    #expect(try registry.reference(.activation, "elu").description == "elu(alpha=1)")
    #expect(
      try registry.reference(.activation, "softplus").description
        == "softplus(beta=1, threshold=20)")
    #expect(try registry.reference(.activation, "gelu").description == "gelu(approximate=none)")
  }
}
