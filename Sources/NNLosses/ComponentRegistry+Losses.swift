import NNProtocols

/// Every built-in loss type, in the order `nnpipe list` documents them.
let builtinLossTypes: [any BuiltinLoss.Type] = [
  MeanSquaredError.self, HalfMeanSquaredError.self, HalfSumSquaredError.self,
  MeanAbsoluteError.self, HuberLoss.self, HingeLoss.self, BinaryCrossEntropy.self,
  BinaryCrossEntropyWithLogits.self, CrossEntropy.self, NegativeLogLikelihood.self,
]

extension ComponentRegistry {
  /// Registers every built-in loss by name, with its declared options and a one-line summary giving
  /// its formula and reduction:
  /// `mse`, `half_mse` (first tutorial), `half_sse` (second tutorial), `mae`, `huber(delta=1)`,
  /// `hinge`, `binary_cross_entropy(epsilon=1e-7)`, `bce_with_logits`,
  /// `cross_entropy(weights=, label_smoothing=0)`, `nll(epsilon=1e-7)` (alias
  /// `categorical_cross_entropy`).
  ///
  /// An alias is a second name of the same entry: a reference written with it resolves to the
  /// canonical name, so `loss categorical_cross_entropy` runs, prints and is saved as `loss nll`.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if any of these names is already registered.
  public mutating func registerBuiltinLosses() throws {
    for type in builtinLossTypes {
      try registerLoss(
        type.registeredName, aliases: type.aliases, summary: type.summary,
        options: type.optionSpecs
      ) { options in try type.init(options: options) }
    }
  }
}
