import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("registerBuiltinLosses")
struct ComponentRegistryLossesTests {
  @Test("registers every built-in under its canonical name, aliases on their entries")
  func registersEveryBuiltin() throws {
    let registry = try builtinLossRegistry()
    let expected: Set = [
      "mse", "half_mse", "half_sse", "mae", "huber", "hinge", "binary_cross_entropy",
      "bce_with_logits", "cross_entropy", "nll",
    ]
    #expect(Set(registry.names(of: .loss)) == expected)
    #expect(registry.allAliases(of: .loss) == ["categorical_cross_entropy"])
    #expect(registry.canonicalName("categorical_cross_entropy", of: .loss) == "nll")
  }

  @Test("names, expected outputs and target encodings")
  func expectedOutputs() throws {
    let expected: [String: (LossInput, TargetEncoding)] = [
      "mse": (.values, .values), "half_mse": (.values, .values), "half_sse": (.values, .values),
      "mae": (.values, .values), "huber": (.values, .values), "hinge": (.values, .signs),
      "binary_cross_entropy": (.probabilities, .unitInterval),
      "bce_with_logits": (.logits, .unitInterval), "cross_entropy": (.logits, .classIndices),
      "nll": (.probabilities, .classIndices),
    ]
    for (name, (output, encoding)) in expected {
      let loss = try makeLoss(name)
      #expect(loss.expectedOutput == output, "\(name)")
      #expect(loss.targetEncoding == encoding, "\(name)")
      #expect(loss.name == name)
    }
  }

  @Test("each alias builds the same loss as its canonical name: same declarations and values")
  func aliasesResolve() throws {
    let registry = try builtinLossRegistry()
    let predictions = Matrix<Double>(rows: 2, cols: 3, scalars: [0.2, 0.5, 0.3, 0.6, 0.1, 0.3])
    let targets = Matrix<Double>(rows: 2, cols: 1, scalars: [1, 0])
    for alias in registry.allAliases(of: .loss) {
      let canonical = try #require(registry.canonicalName(alias, of: .loss))
      #expect(try registry.reference(.loss, alias).name == canonical)
      let (viaAlias, direct) = (try makeLoss(alias), try makeLoss(canonical))
      #expect(viaAlias.name == canonical)
      #expect(viaAlias.expectedOutput == direct.expectedOutput)
      #expect(viaAlias.targetEncoding == direct.targetEncoding)
      #expect(
        viaAlias.value(predictions: predictions, targets: targets)
          == direct.value(predictions: predictions, targets: targets))
    }
  }

  @Test("every entry has a summary with a formula, and every option has help and a valid default")
  func documentation() throws {
    let registry = try builtinLossRegistry()
    for name in registry.names(of: .loss) {
      let summary = try #require(registry.summary(of: .loss, named: name))
      #expect(!summary.isEmpty && summary.contains("="), "\(name): summary '\(summary)'")
      for spec in registry.optionSpecs(of: .loss, named: name) ?? [] {
        #expect(!spec.help.isEmpty, "\(name).\(spec.name) has no help text")
        let defaultValue = try #require(spec.defaultValue, "\(name).\(spec.name) has no default")
        #expect(spec.problem(with: defaultValue) == nil, "\(name).\(spec.name): invalid default")
      }
    }
  }

  @Test("registering the built-ins twice, or a user loss named 'mse', throws DuplicateName")
  func duplicatesThrow() throws {
    var registry = try builtinLossRegistry()
    #expect(throws: ComponentRegistry.DuplicateName.self) { try registry.registerBuiltinLosses() }
    do {
      try registry.registerLoss("mse", summary: "mine") { _ in MeanSquaredError() }
      Issue.record("registering 'mse' twice did not throw")
    } catch let error as ComponentRegistry.DuplicateName {
      #expect(error.kind == .loss && error.name == "mse")
    }
  }

  @Test(
    "out-of-range and mistyped options are rejected by resolveOptions",
    arguments: [
      ("huber", "delta", OptionValue.real(0)),
      ("huber", "delta", .real(-1)),
      ("binary_cross_entropy", "epsilon", .real(0)),
      ("binary_cross_entropy", "epsilon", .real(0.6)),
      ("nll", "epsilon", .real(-1e-7)),
      ("cross_entropy", "label_smoothing", .real(-0.1)),
      ("cross_entropy", "label_smoothing", .real(1.5)),
      ("cross_entropy", "weights", .real(2)),
    ])
  func invalidOptions(name: String, key: String, value: OptionValue) throws {
    let registry = try builtinLossRegistry()
    guard
      case .failure(let problems) = registry.resolveOptions(
        of: .loss, named: name, given: [(key, value)])
    else {
      Issue.record("\(name)(\(key)=\(value)) was accepted")
      return
    }
    #expect(problems.problems.count == 1 && problems.problems.first?.key == key)
  }

  @Test(
    "cross_entropy rejects negative, non-finite or all-zero weights and label_smoothing = 1 when built",
    arguments: [
      ("weights", OptionValue.realList([1, -0.5, 1])),
      ("weights", .realList([1, .infinity])),
      ("weights", .realList([0, 0, 0])),
      ("label_smoothing", .real(1)),
    ])
  func invalidCrossEntropy(key: String, value: OptionValue) throws {
    let registry = try builtinLossRegistry()
    let reference = try registry.reference(.loss, "cross_entropy", [(key, value)])
    do {
      _ = try registry.makeLoss(reference)
      Issue.record("cross_entropy(\(key)=\(value)) was built")
    } catch let error as InputError {
      #expect(error.message.contains("'\(key)'"), "\(error.message)")
    }
  }

  @Test("options reach the built loss")
  func optionsReachTheLoss() throws {
    let crossEntropy = try #require(
      try makeLoss(
        "cross_entropy", [("weights", .realList([1, 2])), ("label_smoothing", .real(0.25))])
        as? CrossEntropy)
    #expect(crossEntropy.classWeights == [1, 2] && crossEntropy.labelSmoothing == 0.25)
    #expect((try makeLoss("huber", [("delta", .real(3))]) as? HuberLoss)?.delta == 3)
    #expect(
      (try makeLoss("nll", [("epsilon", .real(0.01))]) as? NegativeLogLikelihood)?.epsilon == 0.01)
    #expect(
      (try makeLoss("binary_cross_entropy") as? BinaryCrossEntropy)?.epsilon == 1e-7)
  }
}
