import NNProtocols

/// Every built-in activation type, in the order `nnpipe list` documents them.
let builtinActivationTypes: [any BuiltinActivation.Type] = [
  Identity.self, Sign.self, Step.self, Sigmoid.self, Tanh.self, ReLU.self, LeakyReLU.self,
  ELU.self, SELU.self, Softplus.self, GELU.self, SiLU.self, Mish.self, HardSigmoid.self,
  HardTanh.self, ReLU6.self, HardSwish.self, Softsign.self, LogSigmoid.self,
]

extension ComponentRegistry {
  /// Registers every built-in activation by name, with its declared options and a one-line summary
  /// giving its formula:
  /// `identity` (alias `linear`), `sign`, `step`, `sigmoid`, `tanh`, `relu`,
  /// `leaky_relu(slope=0.01)`, `elu(alpha=1)`, `selu`, `softplus(beta=1, threshold=20)`,
  /// `gelu(approximate=none)`, `silu` (alias `swish`), `mish`, `hard_sigmoid`, `hard_tanh`, `relu6`,
  /// `hard_swish` (alias `hard_silu`), `softsign`, `log_sigmoid`.
  ///
  /// An alias is a second name of the same entry: a reference written with it resolves to the
  /// canonical name.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if any of these names is already registered.
  public mutating func registerBuiltinActivations() throws {
    for type in builtinActivationTypes {
      try registerActivation(
        type.registeredName, aliases: type.aliases, summary: type.summary,
        options: type.optionSpecs
      ) { options in try type.init(options: options) }
    }
  }
}
