import NNProtocols

extension ComponentRegistry {
  /// Registers the built-in optimizers: `sgd`, `adam`, `adamw`, `rmsprop`, `adagrad` and `rprop`, with
  /// their options, ranges and PyTorch's defaults.
  ///
  /// `nnpipe list optimizers` prints what is registered here, and a model file's
  /// `optimizer adam lr=0.01` is resolved against these declarations.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if one of the names is already registered.
  public mutating func registerBuiltinOptimizers() throws {
    try registerOptimizer(
      "sgd",
      summary: "gradient descent p ← p − lr·g, with optional momentum and Nesterov momentum",
      options: [
        OptimizerOptions.learningRate(default: 0.01),
        OptimizerOptions.fraction(
          "momentum", default: 0,
          help: "momentum μ in [0, 1): b ← μ·b + (1 − dampening)·g, p ← p − lr·b; 0 = plain descent"
        ),
        OptimizerOptions.fraction(
          "dampening", default: 0,
          help: "dampening τ in [0, 1] of the gradient added to the momentum buffer"),
        OptionSpec(
          "nesterov", .boolean, default: .boolean(false),
          help: "Nesterov momentum p ← p − lr·(g + μ·b); needs momentum > 0 and dampening = 0"),
      ]
    ) { options in
      try SGD(
        learningRate: options.real("lr"), momentum: options.real("momentum"),
        dampening: options.real("dampening"), nesterov: options.boolean("nesterov"))
    }

    try registerOptimizer(
      "adam",
      summary: "Adam: bias-corrected running moments m, v; p ← p − lr·m̂/(√v̂ + eps)",
      options: OptimizerOptions.adam
    ) { options in
      try Adam(
        learningRate: options.real("lr"), beta1: options.real("beta1"),
        beta2: options.real("beta2"), epsilon: options.real("eps"),
        amsgrad: options.boolean("amsgrad"))
    }

    try registerOptimizer(
      "adamw",
      summary: "AdamW: Adam with decoupled weight decay p ← p − lr·λ·p",
      options: OptimizerOptions.adam + [
        OptionSpec(
          "weight_decay", .real(minimum: 0), default: .real(0.01),
          help: "decoupled weight decay λ ≥ 0: p ← p − lr·λ·p before the Adam step")
      ]
    ) { options in
      try AdamW(
        learningRate: options.real("lr"), beta1: options.real("beta1"),
        beta2: options.real("beta2"), epsilon: options.real("eps"),
        weightDecay: options.real("weight_decay"), amsgrad: options.boolean("amsgrad"))
    }

    try registerOptimizer(
      "rmsprop",
      summary: "RMSProp: p ← p − lr·g/(√v + eps) with v a running mean of g²",
      options: [
        OptimizerOptions.learningRate(default: 0.01),
        OptimizerOptions.fraction(
          "alpha", default: 0.99,
          help: "smoothing α in [0, 1) of the running mean v ← α·v + (1 − α)·g²"),
        OptimizerOptions.epsilon(default: 1e-8, help: "ε > 0 added to √v"),
        OptimizerOptions.fraction(
          "momentum", default: 0, help: "momentum μ in [0, 1): b ← μ·b + g/(√v + eps), p ← p − lr·b"
        ),
        OptionSpec(
          "centered", .boolean, default: .boolean(false),
          help: "divide by √(v − ḡ²), an estimate of the gradient's standard deviation"),
      ]
    ) { options in
      try RMSProp(
        learningRate: options.real("lr"), alpha: options.real("alpha"),
        epsilon: options.real("eps"), momentum: options.real("momentum"),
        centered: options.boolean("centered"))
    }

    try registerOptimizer(
      "adagrad",
      summary: "Adagrad: p ← p − lr·g/(√s + eps) with s the sum of every g²",
      options: [
        OptimizerOptions.learningRate(default: 0.01),
        OptionSpec(
          "lr_decay", .real(minimum: 0), default: .real(0),
          help: "learning-rate decay η ≥ 0: the rate of step t is lr/(1 + (t − 1)·η)"),
        OptimizerOptions.epsilon(default: 1e-10, help: "ε > 0 added to √s"),
        OptionSpec(
          "initial_accumulator", .real(minimum: 0), default: .real(0),
          help: "the value ≥ 0 the sum of squares s starts from"),
      ]
    ) { options in
      try Adagrad(
        learningRate: options.real("lr"), learningRateDecay: options.real("lr_decay"),
        epsilon: options.real("eps"), initialAccumulator: options.real("initial_accumulator"))
    }

    try registerOptimizer(
      "rprop",
      summary: "iRPROP− (FANN's default): per-weight steps from gradient signs",
      options: [
        OptionSpec(
          "initial_step", .real(minimum: 0, minimumExclusive: true), default: .real(0.01),
          help: "step size every weight starts with (PyTorch's lr; FANN uses 0.1); lr is ignored"),
        OptionSpec(
          "eta_minus", .real(minimum: 0, maximum: 1, minimumExclusive: true), default: .real(0.5),
          help: "factor in (0, 1) a step shrinks by when its gradient's sign flips"),
        OptionSpec(
          "eta_plus", .real(minimum: 1, minimumExclusive: true), default: .real(1.2),
          help: "factor > 1 a step grows by while its gradient keeps its sign"),
        OptionSpec(
          "step_min", .real(minimum: 0), default: .real(1e-6),
          help: "smallest step size ≥ 0 (FANN uses 0)"),
        OptionSpec(
          "step_max", .real(minimum: 0, minimumExclusive: true), default: .real(50),
          help: "largest step size > 0, at least step_min"),
      ]
    ) { options in
      try Rprop(
        initialStep: options.real("initial_step"), etaMinus: options.real("eta_minus"),
        etaPlus: options.real("eta_plus"), stepMin: options.real("step_min"),
        stepMax: options.real("step_max"))
    }
  }
}

/// Option declarations shared by several optimizers.
private enum OptimizerOptions {
  /// `lr`, a real number > 0.
  static func learningRate(default value: Double) -> OptionSpec {
    OptionSpec(
      "lr", .real(minimum: 0, minimumExclusive: true), default: .real(value),
      help: "learning rate γ > 0 (scaled by the schedule, if any)")
  }

  /// A real option in [0, 1] (`.real(minimum: 0, maximum: 1)`): a decay, smoothing, momentum or
  /// dampening factor.
  static func fraction(_ name: String, default value: Double, help: String) -> OptionSpec {
    OptionSpec(name, .real(minimum: 0, maximum: 1), default: .real(value), help: help)
  }

  /// `eps`, a real number > 0 added to a root so that the division is safe.
  static func epsilon(default value: Double, help: String) -> OptionSpec {
    OptionSpec(
      "eps", .real(minimum: 0, minimumExclusive: true), default: .real(value), help: help)
  }

  /// The options of Adam, also AdamW's first five.
  static let adam: [OptionSpec] = [
    learningRate(default: 0.001),
    fraction(
      "beta1", default: 0.9, help: "decay β₁ in [0, 1) of the first moment m ← β₁·m + (1 − β₁)·g"),
    fraction(
      "beta2", default: 0.999,
      help: "decay β₂ in [0, 1) of the second moment v ← β₂·v + (1 − β₂)·g²"),
    epsilon(default: 1e-8, help: "ε > 0 added to √v̂"),
    OptionSpec(
      "amsgrad", .boolean, default: .boolean(false),
      help: "divide by the largest second moment seen so far (AMSGrad)"),
  ]
}
