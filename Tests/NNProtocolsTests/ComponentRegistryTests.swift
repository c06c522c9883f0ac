import NNProtocols
import Testing

/// An activation for these tests: `g(z) = 2z`.
private struct Doubling: Activation {
  var name: String { "double" }
  func value<S: NNScalar>(_ z: S) -> S { 2 * z }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 2 }
}

/// A registry with one activation, `double`, known also as `twice` and `x2`.
private func registryWithAliases() throws -> ComponentRegistry {
  var registry = ComponentRegistry()
  try registry.registerActivation(
    "double", aliases: ["twice", "x2"], summary: "g(z) = 2z",
    options: [OptionSpec("gain", .real(), default: .real(1), help: "unused")]
  ) { _ in Doubling() }
  return registry
}

@Suite("ComponentRegistry aliases")
struct ComponentRegistryTests {
  @Test("an alias is a name of the one entry: names lists the canonical name only")
  func oneEntry() throws {
    let registry = try registryWithAliases()
    #expect(registry.names(of: .activation) == ["double"])
    #expect(registry.allAliases(of: .activation) == ["twice", "x2"])
    #expect(registry.aliases(of: .activation, named: "double") == ["twice", "x2"])
    #expect(registry.aliases(of: .activation, named: "x2") == ["twice", "x2"])
    #expect(registry.activations.count == 1)
    #expect(registry.activations["double"]?.aliases == ["twice", "x2"])
  }

  @Test("every lookup accepts an alias; a reference carries the canonical name")
  func lookups() throws {
    let registry = try registryWithAliases()
    for name in ["double", "twice", "x2"] {
      #expect(registry.canonicalName(name, of: .activation) == "double")
      #expect(registry.optionSpecs(of: .activation, named: name)?.map(\.name) == ["gain"])
      #expect(registry.summary(of: .activation, named: name) == "g(z) = 2z")
      let reference = try registry.reference(.activation, name, [("gain", .real(3))])
      #expect(reference.name == "double" && reference.options["gain"] == .real(3))
      let made = try registry.makeActivation(
        ComponentReference(kind: .activation, name: name, options: reference.options))
      #expect(made.value(1.5) == 3.0)
    }
    #expect(registry.canonicalName("triple", of: .activation) == nil)
    #expect(registry.canonicalName("twice", of: .loss) == nil)
    #expect(registry.aliases(of: .activation, named: "triple") == [])
  }

  @Test("a name or alias already taken, or given twice, throws DuplicateName")
  func duplicates() throws {
    var registry = try registryWithAliases()
    for (name, aliases, taken) in [
      ("twice", [String](), "twice"), ("triple", ["double"], "double"),
      ("triple", ["x2"], "x2"), ("triple", ["thrice", "thrice"], "thrice"),
      ("triple", ["triple"], "triple"),
    ] {
      do {
        try registry.registerActivation(name, aliases: aliases, summary: "x") { _ in Doubling() }
        Issue.record("\(name) \(aliases) was registered")
      } catch let error as ComponentRegistry.DuplicateName {
        #expect(error.kind == .activation && error.name == taken)
      }
    }
    // A failed registration claims nothing; the same alias in another kind is another namespace.
    #expect(registry.canonicalName("triple", of: .activation) == nil)
    try registry.registerActivation("triple", aliases: ["thrice"], summary: "x") { _ in Doubling() }
    try registry.registerLoss("twice", summary: "a loss named like an activation's alias") { _ in
      throw InputError("not built in this test")
    }
    #expect(registry.names(of: .activation) == ["double", "triple"])
  }

  @Test("did-you-mean searches aliases too; the fallback list names canonical components")
  func suggestions() throws {
    let registry = try registryWithAliases()
    #expect(
      registry.unknownNameMessage("twise", of: .activation)
        == "unknown activation 'twise'; did you mean 'twice'?")
    #expect(
      registry.unknownNameMessage("zzzzzzzz", of: .activation)
        == "unknown activation 'zzzzzzzz'; expected one of: double")
  }
}

/// A loss for these tests whose factory reads its option, as every built-in's does.
private struct Scaled: Loss {
  var factor: Double
  var name: String { "scaled" }
  func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double { factor }
  func gradient<S: NNScalar>(
    predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>
  ) -> Double { factor }
}

@Suite("ComponentRegistry builds from partial references")
struct ComponentRegistryPartialReferenceTests {
  func registry() throws -> ComponentRegistry {
    var registry = ComponentRegistry()
    try registry.registerLoss(
      "scaled", summary: "a constant",
      options: [OptionSpec("factor", .real(minimum: 0), default: .real(3), help: "the value")]
    ) { options in Scaled(factor: options.real("factor")) }
    return registry
  }

  @Test("a reference without options gets the declared defaults (it used to crash the factory)")
  func defaultsAreFilledIn() throws {
    let loss = try registry().makeLoss(ComponentReference(kind: .loss, name: "scaled"))
    #expect((loss as? Scaled)?.factor == 3)
  }

  @Test("a given option is kept, and a bad value is an InputError naming the option")
  func givenOptionsAreCheckedAndKept() throws {
    let registry = try registry()
    let kept = try registry.makeLoss(
      ComponentReference(kind: .loss, name: "scaled", options: Options([("factor", .real(5))])))
    #expect((kept as? Scaled)?.factor == 5)
    #expect(throws: InputError.self) {
      try registry.makeLoss(
        ComponentReference(kind: .loss, name: "scaled", options: Options([("factor", .real(-1))])))
    }
    #expect(throws: InputError.self) {
      try registry.makeLoss(
        ComponentReference(kind: .loss, name: "scaled", options: Options([("fctr", .real(1))])))
    }
  }
}
