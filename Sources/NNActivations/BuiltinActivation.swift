import NNProtocols

/// What every built-in activation declares for the registry: its name (and aliases), a one-line
/// summary giving the formula, its options, and how to build it from validated options.
///
/// `registerBuiltinActivations()` walks the list of conforming types; the per-type declarations sit
/// next to each activation's code, so the documentation and the options cannot drift apart.
protocol BuiltinActivation: Activation {
  /// The name the activation is registered under, e.g. `"leaky_relu"`.
  static var registeredName: String { get }
  /// Further names for the same activation, e.g. `"swish"` for `silu`.
  static var aliases: [String] { get }
  /// One line for `nnpipe list`: what it is and its formula.
  static var summary: String { get }
  /// The declared options (name, type and range, default, help).
  static var optionSpecs: [OptionSpec] { get }
  /// Builds the activation from options that the registry has already validated and completed.
  init(options: Options) throws
}

extension BuiltinActivation {
  static var aliases: [String] { [] }
  static var optionSpecs: [OptionSpec] { [] }
}
