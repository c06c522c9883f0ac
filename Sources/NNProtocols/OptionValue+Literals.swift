/// Option values written as Swift literals, so code can give options as a model file does:
/// `["lr": 0.05, "momentum": 0.9]`, `["units": 4]`, `["activation": "tanh"]`, `["nesterov": true]`.
///
/// A whole number is an `.integer` and a number with a point an `.real`; where a component declares
/// a real option, a whole number given in code is accepted as that real (`ModelDescription`'s code
/// initializer converts it, as the model language reads `lr=1`).
extension OptionValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByStringLiteral
{
  /// `.integer(value)`.
  public init(integerLiteral value: Int) { self = .integer(value) }
  /// `.real(value)`.
  public init(floatLiteral value: Double) { self = .real(value) }
  /// `.boolean(value)`.
  public init(booleanLiteral value: Bool) { self = .boolean(value) }
  /// `.text(value)`: a word, a path, or the name of a component.
  public init(stringLiteral value: String) { self = .text(value) }
}
