import NNProtocols

/// Range checks of hyperparameters passed to an initializer.
///
/// The registry already checks each option against its `OptionSpec` before a factory runs; these checks
/// catch values given in code, and the bounds an `OptionSpec` cannot state (an open upper bound such as
/// `β < 1`, or a relation between two options). Messages use the registry's wording:
/// `optimizer 'adam' option 'beta1': expected a real number in [0, 1), got 1`.
enum HyperparameterCheck {
  /// Throws unless `value` is finite and `value > 0`.
  static func positive(_ value: Double, _ option: String, of component: String) throws {
    try require(value.isFinite && value > 0, value, option, component, "a real number > 0")
  }

  /// Throws unless `value` is finite and `value ≥ 0`.
  static func nonNegative(_ value: Double, _ option: String, of component: String) throws {
    try require(value.isFinite && value >= 0, value, option, component, "a real number ≥ 0")
  }

  /// Throws unless `0 ≤ value < 1`.
  static func fractionBelowOne(_ value: Double, _ option: String, of component: String) throws {
    try require(value >= 0 && value < 1, value, option, component, "a real number in [0, 1)")
  }

  /// Throws unless `0 ≤ value ≤ 1`.
  static func fraction(_ value: Double, _ option: String, of component: String) throws {
    try require(value >= 0 && value <= 1, value, option, component, "a real number in [0, 1]")
  }

  /// Throws unless `lower < value < upper` (either bound may be infinite).
  static func open(
    _ value: Double, _ lower: Double, _ upper: Double, _ option: String, of component: String
  ) throws {
    let expectation =
      upper == .infinity
      ? "a real number > \(formatReal(lower))"
      : "a real number in (\(formatReal(lower)), \(formatReal(upper)))"
    try require(value > lower && value < upper, value, option, component, expectation)
  }

  /// Throws an `InputError` naming `option` of `component` unless `condition` holds.
  static func require(
    _ condition: Bool, _ value: Double, _ option: String, _ component: String, _ expectation: String
  ) throws {
    guard condition else {
      throw InputError(
        "\(component) option '\(option)': expected \(expectation), got \(formatReal(value))")
    }
  }
}
