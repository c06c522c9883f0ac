/// The kinds of component a registry holds; each has its own namespace of names.
public enum ComponentKind: String, Sendable, CaseIterable, Hashable {
  case activation, layer, loss, optimizer, initializer, dataset, schedule
}

/// The type of an option's value, with its valid range.
public enum OptionType: Sendable, Equatable {
  /// A whole number within `range` (if given).
  case integer(ClosedRange<Int>? = nil)
  /// A whole number within `range`, or one of the words `words` (e.g. `batch=full`), stored as
  /// `.integer` or `.text`.
  case integerOrWord(ClosedRange<Int>, words: [String])
  /// A real number within `[minimum, maximum]`; `minimumExclusive` makes it `(minimum, …]`
  /// (a learning rate must be > 0).
  case real(minimum: Double? = nil, maximum: Double? = nil, minimumExclusive: Bool = false)
  /// `true` or `false`.
  case boolean
  /// A word; one of `choices` when given.
  case text(choices: [String]? = nil)
  /// A file path, resolved against the model file's folder.
  case path
  /// A list of real numbers, written `1,2,3`.
  case realList
  /// A registered component of `kind`, written `name` or `name(key=value, …)`.
  case component(ComponentKind)
}

/// A value of an option, after parsing and validation.
public enum OptionValue: Sendable, Hashable, CustomStringConvertible {
  case integer(Int)
  case real(Double)
  case boolean(Bool)
  case text(String)
  case realList([Double])
  case component(ComponentReference)

  public var description: String {
    switch self {
    case .integer(let value): String(value)
    case .real(let value): formatReal(value)
    case .boolean(let value): String(value)
    case .text(let value): value
    case .realList(let values): values.map(formatReal).joined(separator: ",")
    case .component(let reference): reference.description
    }
  }
}

/// Formats a real number the shortest way that reads back exactly (`0.1`, `1e-05`, `3`).
public func formatReal(_ value: Double) -> String {
  if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
  return String(value)
}

/// A reference to a component by name with its options, e.g. `leaky_relu(slope=0.1)`.
public struct ComponentReference: Sendable, Hashable, CustomStringConvertible {
  public var kind: ComponentKind
  public var name: String
  /// Every option of the component, defaults filled in.
  public var options: Options

  public init(kind: ComponentKind, name: String, options: Options = Options()) {
    self.kind = kind
    self.name = name
    self.options = options
  }

  /// The name with every option, as a model file would write it: `leaky_relu(slope=0.01)`.
  public var description: String {
    let pairs = options.order.compactMap { key in options.values[key].map { "\(key)=\($0)" } }
    return pairs.isEmpty ? name : "\(name)(\(pairs.joined(separator: ", ")))"
  }
}

/// One declared option of a component: its name, type and range, default and help text.
///
/// Declared once, an option is parsed, validated, documented by `nnpipe list` and reported in errors the
/// same way for built-in and user-written components.
public struct OptionSpec: Sendable, Equatable {
  public var name: String
  public var type: OptionType
  /// The value used when the option is not given; `nil` makes the option required.
  public var defaultValue: OptionValue?
  /// One line for `nnpipe list` and the documentation.
  public var help: String

  public init(_ name: String, _ type: OptionType, default defaultValue: OptionValue?, help: String)
  {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.help = help
  }

  /// A human description of the valid values, e.g. `a real number > 0`.
  public var expectation: String {
    switch type {
    case .integer(let range):
      guard let range else { return "an integer" }
      if range.upperBound == Int.max { return "an integer ≥ \(range.lowerBound)" }
      return "an integer in \(range.lowerBound)…\(range.upperBound)"
    case .real(let minimum, let maximum, let exclusive):
      switch (minimum, maximum) {
      case (nil, nil): return "a real number"
      case (let low?, nil): return "a real number \(exclusive ? ">" : "≥") \(formatReal(low))"
      case (nil, let high?): return "a real number ≤ \(formatReal(high))"
      case (let low?, let high?):
        return "a real number in \(exclusive ? "(" : "[")\(formatReal(low)), \(formatReal(high))]"
      }
    case .integerOrWord(let range, let words):
      let number =
        range.upperBound == Int.max
        ? "an integer ≥ \(range.lowerBound)"
        : "an integer in \(range.lowerBound)…\(range.upperBound)"
      return number + words.map { " or '\($0)'" }.joined()
    case .boolean: return "true or false"
    case .text(let choices):
      guard let choices else { return "a word" }
      return "one of " + choices.map { "'\($0)'" }.joined(separator: ", ")
    case .path: return "a file path"
    case .realList: return "a comma-separated list of numbers"
    case .component(let kind): return "the name of a registered \(kind.rawValue)"
    }
  }

  /// Checks that `value` has this option's type and lies in its range; returns what is wrong, or `nil`.
  public func problem(with value: OptionValue) -> String? {
    switch (type, value) {
    case (.integer(let range), .integer(let number)):
      if let range, !range.contains(number) { return "expected \(expectation), got \(number)" }
    case (.real(let minimum, let maximum, let exclusive), .real(let number)):
      let tooLow = minimum.map { exclusive ? number <= $0 : number < $0 } ?? false
      let tooHigh = maximum.map { number > $0 } ?? false
      if !number.isFinite || tooLow || tooHigh {
        return "expected \(expectation), got \(formatReal(number))"
      }
    case (.integerOrWord(let range, _), .integer(let number)):
      if !range.contains(number) { return "expected \(expectation), got \(number)" }
    case (.integerOrWord(_, let words), .text(let word)):
      if !words.contains(word) { return "expected \(expectation), got '\(word)'" }
    case (.boolean, .boolean), (.path, .text), (.realList, .realList): break
    case (.text(let choices), .text(let word)):
      if let choices, !choices.contains(word) {
        let suggestion = closestName(to: word, in: choices).map { "; did you mean '\($0)'?" } ?? ""
        return "expected \(expectation), got \(DisplayText.quotedWithNote(word))\(suggestion)"
      }
    case (.component(let kind), .component(let reference)):
      if reference.kind != kind {
        return "expected \(expectation), got a \(reference.kind.rawValue)"
      }
    default:
      return "expected \(expectation), got '\(value)'"
    }
    return nil
  }
}

/// The options of one component: every declared option's value, defaults filled in.
public struct Options: Sendable, Hashable, CustomStringConvertible {
  /// Values by option name.
  public var values: [String: OptionValue]
  /// Names in declaration order, for printing.
  public var order: [String]

  public init(_ values: [(String, OptionValue)] = []) {
    self.values = Dictionary(values, uniquingKeysWith: { _, last in last })
    order = values.map(\.0)
  }

  public subscript(name: String) -> OptionValue? { values[name] }

  /// The integer option `name`. Declared options are validated before a factory sees them, so a
  /// missing or mistyped value here is a programming error.
  public func integer(_ name: String) -> Int {
    if case .integer(let value)? = values[name] { return value }
    preconditionFailure("option '\(name)' is not an integer: \(String(describing: values[name]))")
  }

  /// The real option `name` (an integer value is accepted as real).
  public func real(_ name: String) -> Double {
    switch values[name] {
    case .real(let value)?: return value
    case .integer(let value)?: return Double(value)
    default:
      preconditionFailure("option '\(name)' is not real: \(String(describing: values[name]))")
    }
  }

  /// The boolean option `name`.
  public func boolean(_ name: String) -> Bool {
    if case .boolean(let value)? = values[name] { return value }
    preconditionFailure("option '\(name)' is not boolean: \(String(describing: values[name]))")
  }

  /// The text (or path) option `name`.
  public func text(_ name: String) -> String {
    if case .text(let value)? = values[name] { return value }
    preconditionFailure("option '\(name)' is not text: \(String(describing: values[name]))")
  }

  /// The optional text option `name`: `nil` when absent or empty.
  public func optionalText(_ name: String) -> String? {
    if case .text(let value)? = values[name], !value.isEmpty { return value }
    return nil
  }

  /// The list option `name`.
  public func realList(_ name: String) -> [Double] {
    if case .realList(let value)? = values[name] { return value }
    preconditionFailure("option '\(name)' is not a list: \(String(describing: values[name]))")
  }

  /// The component option `name`.
  public func component(_ name: String) -> ComponentReference {
    if case .component(let value)? = values[name] { return value }
    preconditionFailure("option '\(name)' is not a component: \(String(describing: values[name]))")
  }

  /// `key=value` pairs in declaration order.
  public var description: String {
    order.compactMap { key in values[key].map { "\(key)=\($0)" } }.joined(separator: " ")
  }

  public static func == (lhs: Options, rhs: Options) -> Bool { lhs.values == rhs.values }
  public func hash(into hasher: inout Hasher) { hasher.combine(values) }
}
