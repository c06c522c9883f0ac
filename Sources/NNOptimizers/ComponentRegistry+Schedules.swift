import NNProtocols

extension ComponentRegistry {
  /// Registers the built-in learning-rate schedules: `constant`, `step`, `exponential`, `cosine` and
  /// `linear_warmup`, with their options, ranges and defaults.
  ///
  /// A model file's `schedule cosine min_lr=1e-5` is resolved against these declarations; each
  /// schedule gives the rate of an epoch from the optimizer's base rate.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if one of the names is already registered.
  public mutating func registerBuiltinSchedules() throws {
    try registerSchedule("constant", summary: "the base learning rate in every epoch") { _ in
      ConstantSchedule()
    }

    try registerSchedule(
      "step",
      summary: "multiply the rate by gamma every step_size epochs: lr·gamma^⌊epoch/step_size⌋",
      options: [
        OptionSpec(
          "step_size", .integer(1...Int.max), default: .integer(30),
          help: "epochs ≥ 1 between two decays"),
        OptionSpec(
          "gamma", .real(minimum: 0, maximum: 1, minimumExclusive: true), default: .real(0.1),
          help: "factor in (0, 1] applied at each decay"),
      ]
    ) { options in
      try StepSchedule(stepSize: options.integer("step_size"), gamma: options.real("gamma"))
    }

    try registerSchedule(
      "exponential",
      summary: "multiply the rate by gamma every epoch: lr·gamma^epoch",
      options: [
        OptionSpec(
          "gamma", .real(minimum: 0, maximum: 1, minimumExclusive: true), default: .real(0.95),
          help: "factor in (0, 1] applied each epoch")
      ]
    ) { options in
      try ExponentialSchedule(gamma: options.real("gamma"))
    }

    try registerSchedule(
      "cosine",
      summary: "anneal from lr to min_lr over the run: min_lr + (lr − min_lr)·(1 + cos(π·e/E))/2",
      options: [
        OptionSpec(
          "min_lr", .real(minimum: 0), default: .real(0),
          help: "the rate ≥ 0 reached at the end of the run")
      ]
    ) { options in
      try CosineSchedule(minimumRate: options.real("min_lr"))
    }

    try registerSchedule(
      "linear_warmup",
      summary:
        "raise the rate linearly from start_factor·lr to lr over warmup_epochs, then keep it",
      options: [
        OptionSpec(
          "warmup_epochs", .integer(1...Int.max), default: .integer(5),
          help: "epochs ≥ 1 until the full rate"),
        OptionSpec(
          "start_factor", .real(minimum: 0, maximum: 1, minimumExclusive: true),
          default: .real(0.1), help: "fraction in (0, 1] of the rate used in epoch 0"),
      ]
    ) { options in
      try LinearWarmupSchedule(
        warmupEpochs: options.integer("warmup_epochs"), startFactor: options.real("start_factor"))
    }
  }
}
