import Foundation
import MyActivations
import NNPipeline
import NNProtocols
import NNTestSupport
import Testing

@Suite("registerMyActivations")
struct RegisterMyActivationsTests {
  @Test("adds scaled_tanh and gaussian to the standard registry, with summaries and options")
  func registersBoth() throws {
    let standard = ComponentRegistry.standard()
    let registry = try extendedRegistry()
    #expect(!standard.names(of: .activation).contains("scaled_tanh"))
    #expect(
      registry.names(of: .activation).sorted()
        == (standard.names(of: .activation) + ["gaussian", "scaled_tanh"]).sorted())
    #expect(registry.summary(of: .activation, named: "scaled_tanh") == ScaledTanh.summary)
    #expect(registry.optionSpecs(of: .activation, named: "scaled_tanh") == ScaledTanh.optionSpecs)
    #expect(registry.optionSpecs(of: .activation, named: "gaussian") == [])
  }

  @Test("defaults are filled in from the declared options and reach the activation")
  func defaults() throws {
    let registry = try extendedRegistry()
    let reference = try registry.reference(.activation, "scaled_tanh")
    #expect(reference.description == "scaled_tanh(a=1.7159, b=0.6666666666666666)")
    let activation = try #require(try registry.makeActivation(reference) as? ScaledTanh)
    #expect(activation.a == 1.7159 && activation.b == 2.0 / 3.0)
    #expect(try registry.makeActivation(registry.reference(.activation, "gaussian")) is Gaussian)
  }

  @Test("given options reach the activation")
  func givenOptions() throws {
    let registry = try extendedRegistry()
    let reference = try registry.reference(
      .activation, "scaled_tanh", [("a", .real(2)), ("b", .real(3))])
    let activation = try #require(try registry.makeActivation(reference) as? ScaledTanh)
    #expect(activation.a == 2 && activation.b == 3)
    #expect(activation.value(1.0) == 2 * Foundation.tanh(3.0))
  }

  // snippet: test-options
  @Test("options out of range are rejected with the key and the valid range")
  func optionValidation() throws {
    let registry = try extendedRegistry()
    let result = registry.resolveOptions(
      of: .activation, named: "scaled_tanh", given: [("b", .real(-1))])
    guard case .failure(let problems) = result else {
      Issue.record("b=-1 was accepted")
      return
    }
    #expect(problems.problems.map(\.key) == ["b"])
    #expect(
      problems.description
        == "activation 'scaled_tanh' option 'b': expected a real number in (0, 100], got -1")
  }
  // end-snippet

  @Test(
    "every bound is enforced: a = 0 (exclusive), a > 100, b = 0, a word",
    arguments: [
      ("a", OptionValue.real(0), "option 'a': expected a real number in (0, 100], got 0"),
      ("a", .real(100.5), "option 'a': expected a real number in (0, 100], got 100.5"),
      ("b", .real(0), "option 'b': expected a real number in (0, 100], got 0"),
      ("a", .text("big"), "option 'a': expected a real number in (0, 100], got 'big'"),
    ])
  func bounds(key: String, value: OptionValue, message: String) throws {
    let registry = try extendedRegistry()
    let result = registry.resolveOptions(
      of: .activation, named: "scaled_tanh", given: [(key, value)])
    guard case .failure(let problems) = result else {
      Issue.record("\(key)=\(value) was accepted")
      return
    }
    #expect(problems.description == "activation 'scaled_tanh' \(message)")
  }

  @Test("the largest allowed values are accepted")
  func upperBoundsAccepted() throws {
    let registry = try extendedRegistry()
    let result = registry.resolveOptions(
      of: .activation, named: "scaled_tanh", given: [("a", .real(100)), ("b", .real(100))])
    guard case .success(let options) = result else {
      Issue.record("a=100, b=100 was rejected")
      return
    }
    #expect(options.real("a") == 100 && options.real("b") == 100)
  }

  @Test("unknown options are named, with the known ones or none")
  func unknownOptions() throws {
    let registry = try extendedRegistry()
    let tanhResult = registry.resolveOptions(
      of: .activation, named: "scaled_tanh", given: [("gain", .real(2))])
    guard case .failure(let tanhProblems) = tanhResult else {
      Issue.record("gain=2 was accepted")
      return
    }
    #expect(
      tanhProblems.description
        == "unknown option 'gain' for activation 'scaled_tanh'; expected one of: a, b")
    let gaussianResult = registry.resolveOptions(
      of: .activation, named: "gaussian", given: [("width", .real(2))])
    guard case .failure(let gaussianProblems) = gaussianResult else {
      Issue.record("width=2 was accepted")
      return
    }
    #expect(
      gaussianProblems.description
        == "unknown option 'width' for activation 'gaussian'; it has none")
  }

  @Test("a misspelt name gets a suggestion")
  func misspeltName() throws {
    let registry = try extendedRegistry()
    #expect(
      registry.unknownNameMessage("scaled_tahn", of: .activation)
        == "unknown activation 'scaled_tahn'; did you mean 'scaled_tanh'?")
  }

  @Test("registering twice, or over a name already taken, throws DuplicateName")
  func duplicateNames() throws {
    var registry = try extendedRegistry()
    let error = #expect(throws: ComponentRegistry.DuplicateName.self) {
      try registry.registerMyActivations()
    }
    #expect(error?.kind == .activation)
    #expect(error?.name == "scaled_tanh")
    #expect(error?.description.hasSuffix("named 'scaled_tanh' is already registered") == true)

    var taken = ComponentRegistry.standard()
    try taken.registerActivation("gaussian", summary: "someone else's") { _ in Gaussian() }
    let clash = #expect(throws: ComponentRegistry.DuplicateName.self) {
      try taken.registerMyActivations()
    }
    #expect(clash?.name == "gaussian")
  }

  @Test("every derivative in the extended registry matches central differences")
  func everyActivationInTheRegistry() throws {
    let registry = try extendedRegistry()
    let checker = GradientChecker()
    for name in ["scaled_tanh", "gaussian"] {
      let activation = try registry.makeActivation(registry.reference(.activation, name))
      let points = [-2.5, -1, -0.4, 0.3, 1.2, 2]
      #expect(checker.check(activation: activation, at: points) < 1e-6, "\(name)")
      #expect(checker.checkBuffers(activation: activation, at: points) < 1e-6, "\(name)")
    }
  }
}
