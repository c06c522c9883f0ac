import NNProtocols

/// One `--set KEY=VALUE` argument, read.
///
/// The forms:
/// - `STATEMENT.KEY=VALUE` sets one option: `optimizer.lr=0.05`, `train.epochs=10`, `data.noise=0.1`,
///   `split.validation=0.2`;
/// - `layers.I.KEY=VALUE` sets an option of the I-th `layer` statement (0-based): `layers.0.units=64`;
/// - `STATEMENT=NAME` swaps the component of a component statement (`optimizer=adam`, `loss=mae`), and
///   `layers.I=KIND` the kind of a layer; the statement's options are dropped, and new ones may come in
///   parentheses: `optimizer=adam(lr=0.001)`.
///
/// Overrides act on the statements before validation, so their values are checked exactly like the
/// file's; an error names the override: `--set optimizer.lrr=0.1: unknown option 'lrr' for optimizer
/// 'sgd'; did you mean 'lr'?`.
struct ModelOverride: Sendable {
  /// What an override changes.
  enum Target: Equatable, Sendable {
    case option(ModelStatement, key: String)
    case layerOption(index: Int, key: String)
    case component(ModelStatement)
    case layerKind(index: Int)
  }

  /// The argument as the user typed it.
  var text: String
  var target: Target
  var value: ModelLexer.Value

  var origin: ModelLexer.Origin { .override(text) }

  /// Whether it swaps a component rather than setting an option.
  var isSwap: Bool {
    switch target {
    case .component, .layerKind: true
    case .option, .layerOption: false
    }
  }

  /// Reads `text`; `nil` after reporting what is wrong with it.
  static func read(_ text: String, diagnostics: inout [ModelLexer.Diagnostic]) -> ModelOverride? {
    let origin = ModelLexer.Origin.override(text)
    func fail(_ message: String) -> ModelOverride? {
      diagnostics.append(ModelLexer.Diagnostic(origin: origin, message: message))
      return nil
    }
    guard let equals = text.firstIndex(of: "=") else {
      return fail("expected KEY=VALUE, e.g. optimizer.lr=0.05 or train.epochs=10")
    }
    let key = String(text[..<equals])
    let valueText = String(text[text.index(after: equals)...])
    guard !key.isEmpty else { return fail("missing the key before '='") }
    guard !valueText.isEmpty else { return fail("missing the value after '\(key)='") }

    // The value: quotes and parentheses checked as in a file; spaces are part of it.
    var problems: [ModelLexer.Diagnostic] = []
    let chunk = ModelLexer.scanChunk(
      Array(valueText), from: 0, origin: origin, stopAtWhitespace: false, stopAtComment: false,
      diagnostics: &problems)
    diagnostics += problems
    let value = ModelLexer.Value(
      characters: chunk.characters, origin: origin, isBroken: chunk.isBroken)

    let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !parts.contains(where: \.isEmpty) else { return fail("'\(key)' has an empty part") }
    if parts[0] == "layers" {
      guard parts.count >= 2 else {
        return fail("name a layer by its index: layers.0.KEY=VALUE, or layers.0=KIND")
      }
      guard let index = Int(parts[1]), index >= 0 else {
        return fail("'\(parts[1])' is not a layer index (0, 1, …)")
      }
      switch parts.count {
      case 2: return ModelOverride(text: text, target: .layerKind(index: index), value: value)
      case 3:
        return ModelOverride(
          text: text, target: .layerOption(index: index, key: parts[2]), value: value)
      default:
        return fail(nestedAdvice(parts))
      }
    }
    guard let statement = ModelStatement(rawValue: parts[0]) else {
      let names = ModelStatement.allCases.map(\.keyword).filter { $0 != "layer" } + ["layers"]
      let advice =
        closestName(to: parts[0], in: names).map { "; did you mean '\($0)'?" }
        ?? "; expected one of: \(names.joined(separator: ", "))"
      return fail("unknown statement '\(parts[0])'\(advice)")
    }
    if statement == .layer {
      let example = parts.count > 1 ? "layers.0.\(parts[1])=\(valueText)" : "layers.0=\(valueText)"
      return fail("name a layer by its index (0-based) under 'layers', e.g. \(example)")
    }
    switch parts.count {
    case 1:
      guard statement.componentKind != nil else {
        let example = statement.options.first.map { "\(statement.keyword).\($0.name)=…" } ?? ""
        return fail(
          "'\(statement.keyword)' has options but no name; set one option, e.g. \(example)")
      }
      return ModelOverride(text: text, target: .component(statement), value: value)
    case 2:
      return ModelOverride(text: text, target: .option(statement, key: parts[1]), value: value)
    default:
      return fail(nestedAdvice(parts))
    }
  }

  private static func nestedAdvice(_ parts: [String]) -> String {
    let option = parts.prefix(parts[0] == "layers" ? 3 : 2).joined(separator: ".")
    return "the options of a component value are set with the whole value, "
      + "e.g. \(option)=NAME(key=value)"
  }
}

extension ModelParser {
  /// Applies `--set` arguments to the statements: every swap first, then every option, each in the
  /// order given (a later value for the same key wins). A statement of fixed keys that is absent is
  /// added (`train.epochs=10`); so is an absent `optimizer` or `schedule`, starting from its default
  /// component.
  func applyOverrides(
    _ arguments: [String], to table: inout ModelStatementTable,
    diagnostics: inout [ModelLexer.Diagnostic]
  ) {
    let overrides = arguments.compactMap { ModelOverride.read($0, diagnostics: &diagnostics) }
    let swaps = overrides.filter(\.isSwap)
    let settings = overrides.filter { !$0.isSwap }

    func report(_ override: ModelOverride, _ message: String) {
      diagnostics.append(ModelLexer.Diagnostic(origin: override.origin, message: message))
    }
    func layer(_ index: Int, for override: ModelOverride) -> Int? {
      guard index < table.layers.count else {
        let count = table.layers.count
        let has =
          count == 0
          ? "the model has no layers"
          : "the model has \(count) layer\(count == 1 ? "" : "s") (0…\(count - 1))"
        report(override, "there is no layer \(index); \(has)")
        return nil
      }
      return index
    }

    for override in swaps {
      guard !override.value.isBroken else { continue }
      let statement: ModelStatement
      switch override.target {
      case .component(let kind): statement = kind
      case .layerKind: statement = .layer
      default: continue
      }
      guard let kind = statement.componentKind,
        let syntax = ModelLexer.component(override.value, kind: kind, diagnostics: &diagnostics)
      else { continue }
      let replacement = ModelLexer.Statement(
        kind: statement,
        keyword: ModelLexer.Token(text: statement.keyword, origin: override.origin),
        name: syntax.name, options: syntax.options)
      if case .layerKind(let index) = override.target {
        guard let index = layer(index, for: override) else { continue }
        table.layers[index] = replacement
      } else {
        table.singletons[statement] = replacement
      }
    }

    for override in settings {
      let option = ModelLexer.Option(
        key: ModelLexer.Token(text: "", origin: override.origin), value: override.value)
      switch override.target {
      case .option(let statement, let key):
        var option = option
        option.key.text = key
        if table.singletons[statement] == nil {
          if statement.componentKind == nil {
            table.singletons[statement] = ModelLexer.Statement(
              kind: statement,
              keyword: ModelLexer.Token(text: statement.keyword, origin: override.origin),
              name: nil, options: [])
          } else if let name = statement.defaultComponent {
            table.singletons[statement] = ModelLexer.Statement(
              kind: statement,
              keyword: ModelLexer.Token(text: statement.keyword, origin: override.origin),
              name: ModelLexer.Token(text: name, origin: override.origin), options: [])
          } else {
            report(
              override,
              "the model has no '\(statement.keyword)' statement; "
                + "choose one first with --set \(statement.keyword)=NAME")
            continue
          }
        }
        table.singletons[statement]?.options.removeAll { $0.key.text == key }
        table.singletons[statement]?.options.append(option)
      case .layerOption(let index, let key):
        guard let index = layer(index, for: override) else { continue }
        var option = option
        option.key.text = key
        table.layers[index].options.removeAll { $0.key.text == key }
        table.layers[index].options.append(option)
      case .component, .layerKind:
        continue
      }
    }
  }
}
