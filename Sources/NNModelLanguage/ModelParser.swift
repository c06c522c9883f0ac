import Foundation
import NNProtocols

/// Reads a model description (see `Documentation/ModelLanguage.md`) into a `ModelDescription`.
///
/// The text goes through three stages, every token keeping its line and column:
/// 1. `ModelLexer`: lines → statements of raw tokens (syntax errors);
/// 2. `--set` overrides are applied to those statements (`ModelParser.applyOverrides`);
/// 3. every statement is resolved: component names looked up in the registry, every value interpreted
///    by the type its option declares (`OptionSpec`), checked against its range, defaults filled in.
///
/// Nothing is built: no weights drawn, no data read. Every error in the file is reported in one pass,
/// in the compilers' format:
/// ```
/// model.txt:7:33: error: unknown activation 'sigmod'; did you mean 'sigmoid'?
///     layer dense units=20 activation=sigmod
///                                     ^
/// ```
///
/// See Also: `ModelPrinter` (the inverse), `ModelStatement` (the declared keys).
public struct ModelParser: Sendable {
  /// Where component names are looked up and their options declared.
  public var registry: ComponentRegistry

  /// A parser resolving names in `registry`.
  public init(registry: ComponentRegistry) {
    self.registry = registry
  }

  /// Reads a model description from `text`.
  ///
  /// - Parameters:
  ///   - text: the model description.
  ///   - path: where it came from, for messages (`nil` for text written in code).
  ///   - baseDirectory: the folder relative paths are resolved against (made absolute).
  ///   - overrides: `--set` arguments applied before validation, validated like the file's options:
  ///     `STATEMENT.KEY=VALUE` (`optimizer.lr=0.05`, `train.epochs=10`), `layers.I.KEY=VALUE` for the
  ///     I-th layer (0-based), `STATEMENT=NAME` or `layers.I=KIND` to swap a component (its options
  ///     are dropped; `optimizer=adam(lr=0.001)` gives new ones). Swaps apply first, then keys, in order.
  /// - Returns: the resolved description, every option filled in.
  /// - Throws: every problem found, each naming its place; the messages of overrides start with
  ///   `--set KEY=VALUE:`.
  public func parse(
    _ text: String, path: String?, baseDirectory: String, overrides: [String] = []
  ) throws(InputErrors) -> ModelDescription {
    let base = ModelDescription.absoluteDirectory(baseDirectory)
    var resolution = ModelResolution(registry: registry, baseDirectory: base)
    let (statements, lexicalProblems) = ModelLexer.statements(in: text)
    resolution.diagnostics = lexicalProblems

    if statements.isEmpty, lexicalProblems.isEmpty {
      throw InputErrors([
        InputError(
          file: path,
          "the model description is empty; it needs a 'data' statement and at least one 'layer'")
      ])
    }
    var table = resolution.table(of: statements)
    applyOverrides(overrides, to: &table, diagnostics: &resolution.diagnostics)
    var description = resolution.describe(table, sourcePath: path)
    for (kind, statement) in table.singletons {
      if case .file(let line, _) = statement.keyword.origin {
        description?.statementLines[kind.keyword] = line
      }
    }
    for (index, statement) in table.layers.enumerated() {
      if case .file(let line, _) = statement.keyword.origin {
        description?.statementLines["layers.\(index)"] = line
      }
    }

    if let description, resolution.diagnostics.isEmpty { return description }
    // At most `ModelLexer.mostDiagnostics` errors are shown (a file that is not a model description
    // at all could give one per word), then a count of the rest.
    let sorted = resolution.sortedDiagnostics(overrides: overrides)
    var errors = ModelLexer.withBytes(of: text) { bytes in
      let ranges = ModelLexer.lineRanges(of: bytes)
      return sorted.prefix(ModelLexer.mostDiagnostics + 1).map { diagnostic in
        Self.inputError(diagnostic, file: path) { line in
          line >= 1 && line <= ranges.count
            ? String(decoding: bytes[ranges[line - 1]], as: UTF8.self) : nil
        }
      }
    }
    if sorted.count > errors.count {
      errors.append(
        InputError(file: path, "\(sorted.count - errors.count) more errors are not shown"))
    }
    throw InputErrors(errors)
  }

  /// `bytes` as text, or an error at the line and column of the first byte that is not UTF-8 or is
  /// NUL (a model file is text; a binary file stops here, before any other work).
  package static func text(of bytes: [UInt8], file: String) throws -> String {
    let hasNUL = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false
    }
    if !hasNUL, let text = String(validating: bytes, as: UTF8.self) { return text }
    // Find the place of the first bad byte, counting lines as the lexer does (LF, CRLF or CR).
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    var offset = 0
    var line = 1
    var lineStart = 0
    var column = 1
    var afterCR = false
    func failure(_ what: String) -> InputError {
      let shown = bytes[lineStart..<offset]
      return InputError(
        file: file, line: line, column: column,
        "cannot read the model file: \(what) at line \(line), column \(column) (byte offset"
          + " \(offset)); a model file is UTF-8 text",
        sourceLine: String(decoding: shown, as: UTF8.self) + "…")
    }
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        if scalar == "\0" { throw failure("a NUL byte") }
        offset += UTF8.width(scalar)
        if scalar == "\n" && afterCR {
          lineStart = offset
        } else if scalar == "\n" || scalar == "\r" {
          line += 1
          column = 1
          lineStart = offset
        } else {
          column += 1
        }
        afterCR = scalar == "\r"
      case .emptyInput:
        return String(decoding: bytes, as: UTF8.self)
      case .error:
        let byte = String(bytes[offset], radix: 16, uppercase: true)
        throw failure("the byte 0x\(byte.count == 1 ? "0" : "")\(byte) is not UTF-8")
      }
    }
  }

  /// The `InputError` for a diagnostic: with file, line, column and source line for the text; named
  /// after the override for a `--set`.
  static func inputError(
    _ diagnostic: ModelLexer.Diagnostic, file: String?, sourceLine: (Int) -> String?
  ) -> InputError {
    switch diagnostic.origin {
    case .file(let line, let column):
      let source = sourceLine(line)
      return InputError(
        file: file, line: line, column: column, diagnostic.message, sourceLine: source,
        hint: diagnostic.hint)
    case .override(let text):
      return InputError(
        "--set \(DisplayText.shortened(text)): \(diagnostic.message)", hint: diagnostic.hint)
    case .model:
      return InputError(file: file, diagnostic.message, hint: diagnostic.hint)
    }
  }
}

/// The statements of a model, grouped: singletons by kind, layers in order.
struct ModelStatementTable: Sendable {
  var singletons: [ModelStatement: ModelLexer.Statement] = [:]
  var layers: [ModelLexer.Statement] = []
}

/// The state of one parse: the registry, the base folder and the problems found so far.
struct ModelResolution {
  typealias Origin = ModelLexer.Origin
  typealias Option = ModelLexer.Option
  typealias Value = ModelLexer.Value

  let registry: ComponentRegistry
  let baseDirectory: String
  var diagnostics: [ModelLexer.Diagnostic] = []

  init(registry: ComponentRegistry, baseDirectory: String) {
    self.registry = registry
    self.baseDirectory = baseDirectory
  }

  mutating func report(_ origin: Origin, _ message: String, hint: String? = nil) {
    diagnostics.append(ModelLexer.Diagnostic(origin: origin, message: message, hint: hint))
  }

  /// File problems by line and column, then overrides in the order given, then problems of the
  /// whole model.
  func sortedDiagnostics(overrides: [String]) -> [ModelLexer.Diagnostic] {
    func rank(_ origin: Origin) -> (Int, Int, Int) {
      switch origin {
      case .file(let line, let column): (0, line, column)
      case .override(let text): (1, overrides.firstIndex(of: text) ?? overrides.count, 0)
      case .model: (2, 0, 0)
      }
    }
    return diagnostics.enumerated().sorted { a, b in
      let (ra, rb) = (rank(a.element.origin), rank(b.element.origin))
      return ra != rb ? ra < rb : a.offset < b.offset
    }.map(\.element)
  }

  /// Groups `statements`, reporting a singleton given twice.
  mutating func table(of statements: [ModelLexer.Statement]) -> ModelStatementTable {
    var table = ModelStatementTable()
    for statement in statements {
      if statement.kind.isRepeatable {
        table.layers.append(statement)
      } else if let first = table.singletons[statement.kind] {
        var place = ""
        if case .file(let line, _) = first.keyword.origin {
          place = " (the first is on line \(line))"
        }
        report(
          statement.keyword.origin,
          "the '\(statement.kind.keyword)' statement is given twice\(place)")
      } else {
        table.singletons[statement.kind] = statement
      }
    }
    return table
  }

  // MARK: - The description

  /// Resolves every statement; `nil` if a required part could not be resolved (reported).
  mutating func describe(_ table: ModelStatementTable, sourcePath: String?) -> ModelDescription? {
    let data = table.singletons[.data].flatMap { component($0) }
    if table.singletons[.data] == nil {
      report(
        .model,
        "the model has no 'data' statement; add 'data NAME key=value…' (nnpipe list shows the data sets)"
      )
    }
    let layers = table.layers.map { component($0) }
    if table.layers.isEmpty {
      report(
        .model,
        "the model has no 'layer' statement; add at least one, e.g. 'layer dense units=1'")
    }
    let loss = table.singletons[.loss].flatMap { component($0) }
    let optimizer = table.singletons[.optimizer].flatMap { component($0) }
    let schedule = table.singletons[.schedule].flatMap { component($0) }

    func settings(_ kind: ModelStatement) -> Options? {
      guard let statement = table.singletons[kind] else { return nil }
      return fixedStatement(statement)
    }
    let splitOptions = settings(.split)
    let split = splitOptions.map(SplitSettings.init(statementOptions:)) ?? SplitSettings()
    let preprocessing =
      settings(.preprocess).map(PreprocessSettings.init(statementOptions:)) ?? PreprocessSettings()
    let training =
      settings(.train).map(TrainingSettings.init(statementOptions:)) ?? TrainingSettings()
    let earlyStopping = settings(.earlyStopping).map(EarlyStoppingSettings.init(statementOptions:))
    let weights = settings(.weights).map { $0.text("from") }
    let outputs = settings(.output).map(OutputSettings.init(statementOptions:)) ?? OutputSettings()

    // Checks across keys.
    if let statement = table.singletons[.split], split.validation + split.test >= 1 {
      report(
        statement.keyword.origin,
        "split: validation + test must be less than 1 to leave training data, got "
          + "\(formatReal(split.validation)) + \(formatReal(split.test))")
    }
    let splitIsValid = table.singletons[.split] == nil || splitOptions != nil
    if let statement = table.singletons[.earlyStopping], let earlyStopping, splitIsValid,
      earlyStopping.monitor == "val_loss", split.validation == 0
    {
      let origin =
        statement.options.first { $0.key.text == "monitor" }?.value.origin
        ?? statement.keyword.origin
      report(
        origin,
        "early_stopping monitors 'val_loss' but there is no validation split; "
          + "add 'split validation=0.2' or use monitor=loss")
    }

    guard let data, !layers.contains(where: { $0 == nil }) else { return nil }
    return ModelDescription(
      sourcePath: sourcePath, baseDirectory: baseDirectory, data: data, split: split,
      preprocessing: preprocessing, layers: layers.compactMap { $0 }, loss: loss,
      optimizer: optimizer, schedule: schedule, training: training, earlyStopping: earlyStopping,
      initialWeights: weights, outputs: outputs)
  }

  // MARK: - Statements

  /// A component statement resolved in the registry, or `nil` (reported).
  mutating func component(_ statement: ModelLexer.Statement) -> ComponentReference? {
    guard let kind = statement.kind.componentKind, let name = statement.name else { return nil }
    return component(kind, name: name, options: statement.options)
  }

  /// `name` of `kind` with its options validated and completed through the registry.
  mutating func component(
    _ kind: ComponentKind, name: ModelLexer.Token, options: [Option]
  ) -> ComponentReference? {
    guard let specs = registry.optionSpecs(of: kind, named: name.text) else {
      // A name registered under another kind (`activation=softmax` when softmax is a layer).
      let kinds = ComponentKind.allCases.filter {
        $0 != kind && registry.optionSpecs(of: $0, named: name.text) != nil
      }
      func withArticle(_ kind: ComponentKind) -> String {
        ("aeiou".contains(kind.rawValue.first ?? "x") ? "an " : "a ") + kind.rawValue
      }
      let hint =
        kinds.isEmpty
        ? nil
        : "'\(name.text)' is \(kinds.map(withArticle).joined(separator: " and ")), "
          + "not \(withArticle(kind))"
      report(name.origin, registry.unknownNameMessage(name.text, of: kind), hint: hint)
      return nil
    }
    guard
      let given = validate(
        options, specs: specs, owner: "\(kind.rawValue) '\(name.text)'", pathWords: { _ in [] },
        at: name.origin)
    else { return nil }
    switch registry.resolveOptions(of: kind, named: name.text, given: given) {
    case .success(let resolved):
      // An alias resolves to its entry's canonical name: the description, `check`'s printout and
      // checkpoints carry that one.
      let canonical = registry.canonicalName(name.text, of: kind) ?? name.text
      return ComponentReference(kind: kind, name: canonical, options: resolved)
    case .failure(let problems):
      for problem in problems.problems { report(name.origin, problem.message) }
      return nil
    }
  }

  /// The options of a statement of fixed keys, defaults filled in, or `nil` (reported).
  mutating func fixedStatement(_ statement: ModelLexer.Statement) -> Options? {
    let specs = statement.kind.options
    guard
      let given = validate(
        statement.options, specs: specs, owner: "statement '\(statement.kind.keyword)'",
        pathWords: statement.kind.pathWords(of:), at: statement.keyword.origin)
    else { return nil }
    let values = Dictionary(given.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    return Options(
      specs.compactMap { spec in (values[spec.name] ?? spec.defaultValue).map { (spec.name, $0) } })
  }

  // MARK: - Options

  /// Checks `options` against `specs`: every key declared, every value of its type and in its range,
  /// every required key present. Messages follow `ComponentRegistry.resolveOptions`.
  ///
  /// - Parameters:
  ///   - owner: how messages name the statement or component, e.g. `optimizer 'sgd'`.
  ///   - pathWords: the words a path key accepts unquoted besides a path (`checkpoint=none`).
  ///   - origin: where a missing required key is reported (the name or keyword).
  /// - Returns: the given values, typed; `nil` if anything was wrong (reported).
  mutating func validate(
    _ options: [Option], specs: [OptionSpec], owner: String, pathWords: (String) -> [String],
    at origin: Origin
  ) -> [(key: String, value: OptionValue)]? {
    var given: [(key: String, value: OptionValue)] = []
    var isValid = true
    for option in options {
      let key = option.key.text
      if option.value.isBroken {
        isValid = false
        continue
      }
      guard let spec = specs.first(where: { $0.name == key }) else {
        let names = specs.map(\.name)
        let advice =
          closestName(to: key, in: names).map { "; did you mean '\($0)'?" }
          ?? (names.isEmpty
            ? "; it has none" : "; expected one of: \(names.joined(separator: ", "))")
        report(
          option.key.origin,
          "unknown option \(DisplayText.quotedWithNote(key)) for \(owner)\(advice)")
        isValid = false
        continue
      }
      guard let value = typedValue(option.value, for: spec, pathWords: pathWords(key)) else {
        isValid = false
        continue
      }
      if let problem = spec.problem(with: value) {
        report(option.value.origin, "\(owner) option '\(key)': \(problem)")
        isValid = false
        continue
      }
      given.append((key, value))
    }
    for spec in specs where spec.defaultValue == nil {
      if !options.contains(where: { $0.key.text == spec.name }) {
        report(origin, "\(owner) needs option '\(spec.name)' (\(spec.expectation))")
        isValid = false
      }
    }
    return isValid ? given : nil
  }

  /// The value written as `value`, read as `spec`'s type. Text that is not of the type comes back as
  /// `.text` so that `OptionSpec.problem(with:)` words the mismatch; `nil` after a reported error.
  mutating func typedValue(_ value: Value, for spec: OptionSpec, pathWords: [String])
    -> OptionValue?
  {
    let characters = value.characters
    if case .component(let kind) = spec.type, characters.first != "\"" {
      guard let syntax = ModelLexer.component(value, kind: kind, diagnostics: &diagnostics),
        let reference = component(kind, name: syntax.name, options: syntax.options)
      else { return nil }
      return .component(reference)
    }
    // A literal: a word, or a quoted string whose quotes only group.
    let text: String
    let isQuoted = characters.first == "\""
    if isQuoted {
      guard let closing = ModelLexer.closingQuote(in: characters, openingAt: 0) else {
        report(value.origin, "unterminated quoted string; add the closing '\"'")
        return nil
      }
      guard closing == characters.count - 1 else {
        report(
          value.origin.advanced(by: closing + 1),
          "unexpected text after the closing '\"': \(DisplayText.quoted(String(characters[(closing + 1)...])))"
        )
        return nil
      }
      text = ModelLexer.unquote(characters[1..<closing])
    } else {
      if let quote = characters.firstIndex(of: "\"") {
        report(
          value.origin.advanced(by: quote),
          "unexpected '\"' inside a value; put the whole value in quotes")
        return nil
      }
      text = value.text
    }
    switch spec.type {
    case .integer:
      return Self.integer(text).map(OptionValue.integer) ?? .text(text)
    case .integerOrWord:
      return Self.integer(text).map(OptionValue.integer) ?? .text(text)
    case .real:
      return Self.real(text).map(OptionValue.real) ?? .text(text)
    case .boolean:
      switch text {
      case "true": return .boolean(true)
      case "false": return .boolean(false)
      default: return .text(text)
      }
    case .text:
      return .text(text)
    case .path:
      if !isQuoted, pathWords.contains(text) { return .text(text) }
      return .text(ModelDescription.absolutePath(text, base: baseDirectory))
    case .realList:
      if text.isEmpty { return .realList([]) }
      let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map {
        Self.real(String($0))
      }
      if numbers.allSatisfy({ $0?.isFinite == true }) { return .realList(numbers.map { $0! }) }
      return .text(text)
    case .component:
      return .text(text)
    }
  }

  /// A decimal number: `[+-]digits[.digits][e[+-]digits]` or `[+-].digits…`; `nil` otherwise.
  static func real(_ text: String) -> Double? {
    var characters = Substring(text)
    if let sign = characters.first, sign == "+" || sign == "-" {
      characters = characters.dropFirst()
    }
    let mantissa = characters.prefix { $0 != "e" && $0 != "E" }
    let exponent = characters.dropFirst(mantissa.count)
    let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let digits = parts.joined()
    guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit),
      parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
    else { return nil }
    if !exponent.isEmpty {
      var power = exponent.dropFirst()
      if let sign = power.first, sign == "+" || sign == "-" { power = power.dropFirst() }
      guard !power.isEmpty, power.allSatisfy(\.isASCIIDigit) else { return nil }
    }
    return Double(text)
  }

  /// A whole number: integer digits, or a decimal number with an exact integer value (`1e3`).
  static func integer(_ text: String) -> Int? {
    if let value = Int(text) { return value }
    guard let real = real(text), real == real.rounded(), abs(real) < 9.0e15 else { return nil }
    return Int(real)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
