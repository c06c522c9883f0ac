import NNProtocols

extension ComponentRegistry {
  /// Registers the built-in weight initializers: `normal`, `uniform`, `glorot_uniform`
  /// (`xavier_uniform`), `glorot_normal` (`xavier_normal`), `he_normal` (`kaiming_normal`),
  /// `he_uniform` (`kaiming_uniform`), `zeros` and `constant`.
  ///
  /// `fan_in` is a layer's inputs and `fan_out` its outputs; every random value comes from the run's
  /// seeded generator.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if one of the names is already registered.
  public mutating func registerBuiltinInitializers() throws {
    try registerInitializer(
      "normal", summary: "W ~ N(mean, std²); the tutorials' 0.2·N(0,1) is normal(std=0.2)",
      options: [
        OptionSpec("mean", .real(), default: .real(0), help: "the mean of the values"),
        OptionSpec(
          "std", .real(minimum: 0), default: .real(1), help: "the standard deviation of the values"),
      ]
    ) { options in
      NormalInitializer(mean: options.real("mean"), std: options.real("std"))
    }

    try registerInitializer(
      "uniform", summary: "W ~ U[low, high)",
      options: [
        OptionSpec("low", .real(), default: .real(-0.05), help: "the lower bound (included)"),
        OptionSpec(
          "high", .real(), default: .real(0.05), help: "the upper bound (excluded); above low"),
      ]
    ) { options in
      let (low, high) = (options.real("low"), options.real("high"))
      guard low < high else {
        throw InputError(
          "initializer 'uniform' needs low < high, got low=\(formatReal(low)) high=\(formatReal(high))"
        )
      }
      return UniformInitializer(low: low, high: high)
    }

    let glorotUniform = "W ~ U[−l, l), l = √(6/(fan_in + fan_out)) (Glorot & Bengio)"
    try registerInitializer("glorot_uniform", aliases: ["xavier_uniform"], summary: glorotUniform) {
      _ in
      GlorotUniform()
    }

    let glorotNormal = "W ~ N(0, σ²), σ = √(2/(fan_in + fan_out)) (Glorot & Bengio)"
    try registerInitializer("glorot_normal", aliases: ["xavier_normal"], summary: glorotNormal) {
      _ in
      GlorotNormal()
    }

    let heNormal = "W ~ N(0, σ²), σ = √(2/fan_in) (He et al., for ReLU)"
    try registerInitializer("he_normal", aliases: ["kaiming_normal"], summary: heNormal) { _ in
      HeNormal()
    }

    let heUniform = "W ~ U[−l, l), l = √(6/fan_in) (He et al., for ReLU)"
    try registerInitializer("he_uniform", aliases: ["kaiming_uniform"], summary: heUniform) { _ in
      HeUniform()
    }

    try registerInitializer("zeros", summary: "W = 0 (the default for biases)") { _ in
      ZerosInitializer()
    }

    try registerInitializer(
      "constant", summary: "W = value",
      options: [OptionSpec("value", .real(), default: nil, help: "the value of every element")]
    ) { options in
      ConstantInitializer(value: options.real("value"))
    }
  }
}
