import NNProtocols

/// What every built-in loss declares for the registry: its name (and aliases), a one-line summary
/// giving the formula and reduction, its options, and how to build it from validated options.
protocol BuiltinLoss: Loss {
  /// The name the loss is registered under, e.g. `"mse"`.
  static var registeredName: String { get }
  /// Further names for the same loss.
  static var aliases: [String] { get }
  /// One line for `nnpipe list`: the formula and the reduction.
  static var summary: String { get }
  /// The declared options (name, type and range, default, help).
  static var optionSpecs: [OptionSpec] { get }
  /// Builds the loss from options the registry has already validated and completed.
  init(options: Options) throws
}

extension BuiltinLoss {
  static var aliases: [String] { [] }
  static var optionSpecs: [OptionSpec] { [] }
}
