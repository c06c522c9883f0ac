import NNProtocols

extension ComponentRegistry {
  /// Registers the built-in layer kinds: `dense`, `activation`, `dropout` and `softmax`.
  ///
  /// `dense` and `activation` refer to activations (and `dense` to initializers) by name; those are
  /// looked up when a layer is made, so register activations and initializers too (in any order)
  /// before making layers.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if one of the names is already registered.
  public mutating func registerBuiltinLayers() throws {
    try registerLayer(
      "dense", summary: "fully connected: Z = X·Wᵀ + b, A = g(Z); W is [units, inputs]",
      options: [
        OptionSpec(
          "units", .integer(1...Int.max), default: nil, help: "the number of outputs (neurons)"),
        OptionSpec(
          "activation", .component(.activation),
          default: .component(ComponentReference(kind: .activation, name: "identity")),
          help: "the activation g applied to Z"),
        OptionSpec("bias", .boolean, default: .boolean(true), help: "whether to learn a bias b"),
        OptionSpec(
          "init", .component(.initializer),
          default: .component(ComponentReference(kind: .initializer, name: "glorot_uniform")),
          help: "how the weight W is initialized"),
        OptionSpec(
          "bias_init", .component(.initializer),
          default: .component(ComponentReference(kind: .initializer, name: "zeros")),
          help: "how the bias b is initialized"),
      ]
    ) { options, registry in
      DenseBuilder(
        units: options.integer("units"),
        activation: try registry.makeActivation(options.component("activation")),
        useBias: options.boolean("bias"),
        initializer: try registry.makeInitializer(options.component("init")),
        biasInitializer: try registry.makeInitializer(options.component("bias_init")))
    }

    try registerLayer(
      "activation", summary: "elementwise activation: A = g(Z), no parameters",
      options: [
        OptionSpec(
          "function", .component(.activation), default: nil, help: "the activation g to apply")
      ]
    ) { options, registry in
      ActivationLayerBuilder(activation: try registry.makeActivation(options.component("function")))
    }

    try registerLayer(
      "dropout",
      summary:
        "inverted dropout while training: A = X ∘ M/(1−p), M ~ Bernoulli(1−p); identity when inferring",
      options: [
        OptionSpec(
          "rate", .real(minimum: 0, maximum: 1), default: .real(0.5),
          help: "the probability p of dropping a unit, in [0, 1)")
      ]
    ) { options, _ in
      let rate = options.real("rate")
      guard rate < 1 else {
        throw InputError(
          "layer 'dropout' option 'rate': expected a real number in [0, 1), got \(formatReal(rate))",
          hint: "a rate of 1 would drop every unit")
      }
      return DropoutBuilder(rate: rate)
    }

    try registerLayer(
      "softmax", summary: "row-wise probabilities: A_j = exp(Z_j − max Z) / Σ_k exp(Z_k − max Z)"
    ) { _, _ in
      SoftmaxBuilder()
    }
  }
}
