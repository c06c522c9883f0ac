import NNProtocols

/// One argument a command accepts, as the parser and `--help` see it: a positional value, a flag, or
/// an option taking a value. Declared through `Argument`, which also gives its value a type.
public struct ArgumentSpec: Sendable {
  public enum Kind: Sendable, Equatable {
    /// A value given by position, e.g. `MODEL`.
    case positional(optional: Bool)
    /// `--name` alone.
    case flag
    /// `--name VALUE` or `--name=VALUE`; `repeatable` options collect every value.
    case option(valueName: String, repeatable: Bool)
  }

  /// The long name without dashes (`seed`) or the positional's display name (`MODEL`).
  public var name: String
  public var kind: Kind
  /// One line for `--help`.
  public var help: String
  /// Turns the texts given for the argument (in command-line order; none when it is absent; one
  /// empty text per occurrence of a flag) into its typed value, or throws a `UsageError` naming it.
  var convert: @Sendable ([String]) throws -> any Sendable
}

/// An argument declared once: its spec (name, kind, help) and the type of the value parsing makes of
/// it, read back as `arguments[declaration]`, so a misspelled name or a wrong type does not compile.
///
/// ```swift
/// static let seed = Argument.integer("seed", help: "Shorthand for --set train.seed=N.")
/// let seed: Int? = arguments[Self.seed]
/// ```
public struct Argument<Value: Sendable>: Sendable {
  public let spec: ArgumentSpec

  init(
    _ name: String, _ kind: ArgumentSpec.Kind, help: String,
    value: @escaping @Sendable ([String]) throws -> Value
  ) {
    spec = ArgumentSpec(name: name, kind: kind, help: help, convert: value)
  }
}

extension Argument where Value == String {
  /// A required positional value, e.g. `MODEL`.
  public static func positional(_ name: String, help: String) -> Argument<String> {
    Argument(name, .positional(optional: false), help: help) { $0.last ?? "" }
  }
}

extension Argument where Value == String? {
  /// A positional value that may be left out, e.g. `[<kind>]`.
  public static func optionalPositional(_ name: String, help: String) -> Argument<String?> {
    Argument(name, .positional(optional: true), help: help) { $0.last }
  }

  /// `--name VALUE`, given at most once.
  public static func option(_ name: String, valueName: String, help: String) -> Argument<String?> {
    Argument(name, .option(valueName: valueName, repeatable: false), help: help) { $0.last }
  }
}

extension Argument where Value == Bool {
  /// `--name` alone: `true` when given.
  public static func flag(_ name: String, help: String) -> Argument<Bool> {
    Argument(name, .flag, help: help) { !$0.isEmpty }
  }
}

extension Argument where Value == [String] {
  /// `--name VALUE`, repeatable: every value in order, each passed through `each` (which may
  /// refuse one with a `UsageError`).
  public static func repeatable(
    _ name: String, valueName: String, help: String,
    each: @escaping @Sendable (String) throws -> String = { $0 }
  ) -> Argument<[String]> {
    Argument(name, .option(valueName: valueName, repeatable: true), help: help) {
      try $0.map(each)
    }
  }
}

extension Argument where Value == Int? {
  /// `--name N`, an integer in `range`; anything else is a usage error naming the flag and the range.
  public static func integer(
    _ name: String, valueName: String = "n", in range: ClosedRange<Int> = 0...Int.max, help: String
  ) -> Argument<Int?> {
    Argument(name, .option(valueName: valueName, repeatable: false), help: help) { texts in
      guard let text = texts.last else { return nil }
      guard let value = Int(text), range.contains(value) else {
        let bound =
          range.upperBound == Int.max
          ? "an integer ≥ \(range.lowerBound)" : "an integer in \(range)"
        throw UsageError("invalid value '\(text)' for '--\(name)': expected \(bound)")
      }
      return value
    }
  }
}

extension Argument where Value == Double? {
  /// `--name X`, a positive finite real; anything else is a usage error naming the flag.
  public static func positiveReal(_ name: String, valueName: String, help: String)
    -> Argument<Double?>
  {
    Argument(name, .option(valueName: valueName, repeatable: false), help: help) { texts in
      guard let text = texts.last else { return nil }
      guard let value = Double(text), value > 0, value.isFinite else {
        throw UsageError("invalid value '\(text)' for '--\(name)': expected a positive number")
      }
      return value
    }
  }
}

/// Anything a command lists among its arguments: an `Argument` of any value type.
public protocol CommandArgument: Sendable {
  var spec: ArgumentSpec { get }
}

extension Argument: CommandArgument {}

/// Arguments after parsing: the typed value of every argument the command declares (`false`, `nil`
/// or `[]` for one not given), read as `arguments[declaration]`.
public struct ParsedArguments: Sendable {
  /// The values by the declarations' names (each name is declared once per command).
  private var values: [String: any Sendable] = [:]

  init(values: [String: any Sendable]) { self.values = values }

  /// The value of `argument`; it must be one of the command's declared arguments.
  public subscript<Value>(_ argument: Argument<Value>) -> Value {
    guard let stored = values[argument.spec.name], let value = stored as? Value else {
      preconditionFailure("'\(argument.spec.name)' is not an argument of this command")
    }
    return value
  }
}

/// A mistake in the command line (exit status 64, with the usage line).
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Parses `arguments` against `specs` into typed values, in the conventions of swift-argument-parser: `--name value`,
/// `--name=value`, `--` ends options, unknown options and missing values are errors.
public func parseArguments(_ arguments: [String], specs: [ArgumentSpec]) throws -> ParsedArguments {
  var texts: [String: [String]] = [:]
  let positionals = specs.filter {
    if case .positional = $0.kind { return true }
    return false
  }
  var positionalIndex = 0
  var index = 0
  var onlyPositionals = false
  func addPositional(_ value: String) throws {
    guard positionalIndex < positionals.count else {
      throw UsageError("unexpected argument '\(value)'")
    }
    texts[positionals[positionalIndex].name] = [value]
    positionalIndex += 1
  }
  while index < arguments.count {
    let argument = arguments[index]
    index += 1
    if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
      try addPositional(argument)
      continue
    }
    if argument == "--" {
      onlyPositionals = true
      continue
    }
    guard argument.hasPrefix("--") else {
      throw UsageError("unknown option '\(argument)'")
    }
    var name = String(argument.dropFirst(2))
    var inlineValue: String?
    if let equals = name.firstIndex(of: "=") {
      inlineValue = String(name[name.index(after: equals)...])
      name = String(name[..<equals])
    }
    let named = specs.filter { spec in
      if case .positional = spec.kind { return false }
      return true
    }
    guard let spec = named.first(where: { $0.name == name }) else {
      let names = named.map(\.name)
      let suggestion = closestName(to: name, in: names).map { "; did you mean '--\($0)'?" } ?? ""
      throw UsageError("unknown option '--\(name)'\(suggestion)")
    }
    switch spec.kind {
    case .flag:
      if inlineValue != nil { throw UsageError("option '--\(name)' takes no value") }
      texts[name, default: []].append("")
    case .option(let valueName, let repeatable):
      let value: String
      if let inlineValue {
        value = inlineValue
      } else if index < arguments.count {
        value = arguments[index]
        index += 1
      } else {
        throw UsageError("missing value for '--\(name) <\(valueName)>'")
      }
      if !repeatable, texts[name] != nil {
        throw UsageError("option '--\(name)' given more than once")
      }
      texts[name, default: []].append(value)
    case .positional:
      break
    }
  }
  for spec in positionals[positionalIndex...] {
    if case .positional(optional: false) = spec.kind {
      throw UsageError("missing expected argument '<\(spec.name.lowercased())>'")
    }
  }
  // Every value is checked and typed here, in the order the command declares its arguments.
  var values: [String: any Sendable] = [:]
  for spec in specs { values[spec.name] = try spec.convert(texts[spec.name] ?? []) }
  return ParsedArguments(values: values)
}
