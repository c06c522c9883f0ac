import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

/// A registry holding the built-in optimizers.
private func registry() throws -> ComponentRegistry {
  var registry = ComponentRegistry()
  try registry.registerBuiltinOptimizers()
  return registry
}

/// The optimizer `name` built from `given` options (the rest default).
private func make(
  _ name: String, _ given: [(key: String, value: OptionValue)] = []
) throws -> any Optimizer {
  let registry = try registry()
  return try registry.makeOptimizer(registry.reference(.optimizer, name, given))
}

/// The problems `resolveOptions` reports for `given`, or `[]` when they are valid.
private func problems(_ name: String, _ given: [(key: String, value: OptionValue)]) throws
  -> [String]
{
  switch try registry().resolveOptions(of: .optimizer, named: name, given: given) {
  case .success: return []
  case .failure(let problems): return problems.problems.map(\.message)
  }
}

@Suite("Built-in optimizers in the registry") struct BuiltinOptimizersTests {
  @Test("the six optimizers are registered, each with a summary and documented options")
  func registered() throws {
    let registry = try registry()
    #expect(
      registry.names(of: .optimizer) == ["adagrad", "adam", "adamw", "rmsprop", "rprop", "sgd"])
    for name in registry.names(of: .optimizer) {
      #expect(registry.summary(of: .optimizer, named: name)?.isEmpty == false)
      for spec in registry.optionSpecs(of: .optimizer, named: name) ?? [] {
        #expect(!spec.help.isEmpty, "\(name).\(spec.name) has no help")
        #expect(spec.defaultValue != nil, "\(name).\(spec.name) has no default")
      }
    }
  }

  @Test(
    "every optimizer builds with its defaults, which are PyTorch's",
    arguments: ["sgd", "adam", "adamw", "rmsprop", "adagrad", "rprop"])
  func defaults(name: String) throws {
    let optimizer = try make(name)
    #expect(optimizer.name == name)
    switch optimizer {
    case let sgd as SGD: #expect(sgd == (try SGD()))
    case let adam as Adam: #expect(adam == (try Adam()))
    case let adamw as AdamW: #expect(adamw == (try AdamW()))
    case let rmsprop as RMSProp: #expect(rmsprop == (try RMSProp()))
    case let adagrad as Adagrad: #expect(adagrad == (try Adagrad()))
    case let rprop as Rprop: #expect(rprop == (try Rprop()))
    default: Issue.record("\(name) built an unexpected type \(type(of: optimizer))")
    }
  }

  @Test("every registered optimizer lowers the quadratic's loss with its defaults")
  func everyOptimizerDescends() throws {
    let registry = try registry()
    for name in registry.names(of: .optimizer) {
      let optimizer = try registry.makeOptimizer(registry.reference(.optimizer, name))
      let history = Quadratic.losses(optimizer, steps: 50, as: Float.self)
      #expect(history.last! < 24.5, "\(name) did not lower the loss: \(history.last!)")
    }
  }

  @Test("given options reach the optimizer")
  func options() throws {
    let sgd = try make(
      "sgd", [("lr", .real(0.5)), ("momentum", .real(0.9)), ("nesterov", .boolean(true))])
    #expect(sgd as? SGD == (try SGD(learningRate: 0.5, momentum: 0.9, nesterov: true)))
    let adamw = try make("adamw", [("weight_decay", .real(0.1)), ("amsgrad", .boolean(true))])
    #expect(adamw as? AdamW == (try AdamW(weightDecay: 0.1, amsgrad: true)))
    let rprop = try make("rprop", [("initial_step", .real(0.1)), ("step_min", .real(0))])
    #expect(rprop as? Rprop == (try Rprop(initialStep: 0.1, stepMin: 0)))
  }

  @Test("nesterov without momentum is rejected with a clear message")
  func nesterovWithoutMomentum() throws {
    #expect {
      _ = try make("sgd", [("nesterov", .boolean(true))])
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.message.contains("optimizer 'sgd' option 'nesterov'")
        && error.message.contains("momentum > 0") && error.hint != nil
    }
  }

  @Test(
    "out-of-range values are rejected by resolveOptions, naming the option",
    arguments: [
      ("sgd", "lr", OptionValue.real(0)),
      ("sgd", "momentum", .real(1.5)),
      ("sgd", "dampening", .real(-0.1)),
      ("adam", "lr", .real(-0.001)),
      ("adam", "beta1", .real(1.2)),
      ("adam", "beta2", .real(-0.1)),
      ("adam", "eps", .real(0)),
      ("adamw", "weight_decay", .real(-0.01)),
      ("rmsprop", "alpha", .real(2)),
      ("adagrad", "initial_accumulator", .real(-1)),
      ("rprop", "eta_minus", .real(0)),
      ("rprop", "eta_plus", .real(1)),
      ("rprop", "step_max", .real(0)),
      ("sgd", "nesterov", .real(1)),
    ])
  func outOfRange(name: String, option: String, value: OptionValue) throws {
    let messages = try problems(name, [(option, value)])
    #expect(messages.count == 1)
    #expect(messages.first?.contains("optimizer '\(name)' option '\(option)'") == true)
  }

  @Test("an open upper bound (β < 1) is enforced when the optimizer is built")
  func openUpperBounds() throws {
    for (name, option) in [
      ("adam", "beta1"), ("adamw", "beta2"), ("sgd", "momentum"), ("rmsprop", "alpha"),
    ] {
      #expect(try problems(name, [(option, .real(1))]).isEmpty)
      #expect {
        _ = try make(name, [(option, .real(1))])
      } throws: { error in
        (error as? InputError)?.message.contains(
          "option '\(option)': expected a real number in [0, 1)")
          == true
      }
    }
  }

  @Test("unknown options are rejected with a suggestion")
  func unknownOption() throws {
    let messages = try problems("adam", [("beta", .real(0.9))])
    #expect(messages.first?.contains("did you mean 'beta1'?") == true)
  }

  @Test("registering twice is an error")
  func duplicate() throws {
    var registry = try registry()
    #expect(throws: ComponentRegistry.DuplicateName.self) {
      try registry.registerBuiltinOptimizers()
    }
  }
}
