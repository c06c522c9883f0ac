import NNProtocols

/// One argument a command accepts: a positional value, a flag, or an option taking a value.
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

  public init(_ name: String, _ kind: Kind, help: String) {
    self.name = name
    self.kind = kind
    self.help = help
  }
}

/// Arguments after parsing, by name.
public struct ParsedArguments: Sendable {
  public var positionals: [String: String] = [:]
  public var flags: Set<String> = []
  public var options: [String: [String]] = [:]

  /// Whether `--name` was given.
  public func flag(_ name: String) -> Bool { flags.contains(name) }
  /// The last value of `--name`, if given.
  public func option(_ name: String) -> String? { options[name]?.last }
  /// Every value of a repeatable `--name`, in order.
  public func values(_ name: String) -> [String] { options[name] ?? [] }
  /// The positional `name`, if given.
  public func positional(_ name: String) -> String? { positionals[name] }

  /// The integer value of `--name`, or a usage error naming the flag.
  public func integer(_ name: String, in range: ClosedRange<Int> = 0...Int.max) throws -> Int? {
    guard let text = option(name) else { return nil }
    guard let value = Int(text), range.contains(value) else {
      let bound =
        range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)" : "an integer in \(range)"
      throw UsageError("invalid value '\(text)' for '--\(name)': expected \(bound)")
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

/// Parses `arguments` against `specs`, in the conventions of swift-argument-parser: `--name value`,
/// `--name=value`, `--` ends options, unknown options and missing values are errors.
public func parseArguments(_ arguments: [String], specs: [ArgumentSpec]) throws -> ParsedArguments {
  var parsed = ParsedArguments()
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
    parsed.positionals[positionals[positionalIndex].name] = value
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
      parsed.flags.insert(name)
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
      if !repeatable, parsed.options[name] != nil {
        throw UsageError("option '--\(name)' given more than once")
      }
      parsed.options[name, default: []].append(value)
    case .positional:
      break
    }
  }
  for spec in positionals[positionalIndex...] {
    if case .positional(optional: false) = spec.kind {
      throw UsageError("missing expected argument '<\(spec.name.lowercased())>'")
    }
  }
  return parsed
}
