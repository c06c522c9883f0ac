import Foundation
import NNProtocols

/// Writes a `ModelDescription` back as model text: every statement, every option with its value
/// (defaults filled in), in the canonical order of `ModelStatement`.
///
/// This resolved text is what `nnpipe check` prints and what checkpoints store. Reading it back with
/// `ModelParser` (same base folder) gives an equal description. Paths are written relative to the
/// description's base folder where they share more than the root; values that would not read back as
/// one word (spaces, `#`, `=`, parentheses, commas, quotes, reserved words) are quoted. Statements that
/// are absent (`loss`, `optimizer`, `schedule`, `early_stopping`, `weights`) appear as a comment naming
/// what applies instead.
///
/// ```
/// data sine noise=0
/// layer dense units=20 activation=sigmoid init=normal(mean=0, std=0.2)
/// optimizer sgd lr=0.1 momentum=0
/// train epochs=2000 batch=full seed=0 precision=double shuffle=true clip_norm=0 weight_decay=0 threads=0 step=auto
/// ```
public struct ModelPrinter: Sendable {
  /// Where the option types of components are found (to know which values are paths).
  public var registry: ComponentRegistry

  /// A printer using `registry` for the components' declared options.
  public init(registry: ComponentRegistry) {
    self.registry = registry
  }

  /// The complete resolved text of `description`, one statement per line, ending with a newline.
  public func resolvedText(_ description: ModelDescription) -> String {
    let base = description.baseDirectory
    var lines: [String] = []
    func fixed(_ statement: ModelStatement, _ options: Options) {
      let pairs = statement.options.compactMap { spec in
        options[spec.name].map {
          "\(spec.name)="
            + format($0, type: spec.type, words: statement.pathWords(of: spec.name), base: base)
        }
      }
      lines.append(([statement.keyword] + pairs).joined(separator: " "))
    }
    func component(_ statement: ModelStatement, _ reference: ComponentReference) {
      let pairs = optionTexts(reference, base: base)
      lines.append(([statement.keyword, reference.name] + pairs).joined(separator: " "))
    }

    component(.data, description.data)
    fixed(.split, description.split.statementOptions)
    fixed(.preprocess, description.preprocessing.statementOptions)
    for layer in description.layers { component(.layer, layer) }
    if let loss = description.loss {
      component(.loss, loss)
    } else {
      lines.append(
        "# loss: not given; mse for regression; for classes nll after a softmax, "
          + "binary_cross_entropy after outputs in [0, 1], else bce_with_logits (one output) or "
          + "cross_entropy")
    }
    if let optimizer = description.optimizer {
      component(.optimizer, optimizer)
    } else {
      let name = ModelStatement.optimizer.defaultComponent ?? "adam"
      let options = (try? registry.reference(.optimizer, name)).map { optionTexts($0, base: base) }
      lines.append(
        "# optimizer: not given; the default "
          + ([name] + (options ?? [])).joined(separator: " "))
    }
    if let schedule = description.schedule {
      component(.schedule, schedule)
    } else {
      lines.append("# schedule: not given; a constant learning rate")
    }
    fixed(.train, description.training.statementOptions)
    if let earlyStopping = description.earlyStopping {
      fixed(.earlyStopping, earlyStopping.statementOptions)
    } else {
      lines.append("# early_stopping: not given; training runs every epoch")
    }
    if let weights = description.initialWeights {
      fixed(.weights, Options([("from", .text(weights))]))
    } else {
      lines.append("# weights: not given; random initialization")
    }
    fixed(.output, description.outputs.statementOptions)
    return lines.joined(separator: "\n") + "\n"
  }

  /// `key=value` for every option of `reference`, in declaration order.
  func optionTexts(_ reference: ComponentReference, base: String) -> [String] {
    let specs = registry.optionSpecs(of: reference.kind, named: reference.name) ?? []
    var keys = specs.map(\.name).filter { reference.options[$0] != nil }
    keys += reference.options.order.filter { !keys.contains($0) }
    keys += reference.options.values.keys.sorted().filter { !keys.contains($0) }
    return keys.compactMap { key in
      reference.options[key].map { value in
        "\(key)=" + format(value, type: specs.first { $0.name == key }?.type, words: [], base: base)
      }
    }
  }

  /// One value as a model file writes it.
  ///
  /// - Parameters:
  ///   - type: the option's declared type, if known (paths are written relative to `base`).
  ///   - words: the words the key accepts unquoted besides a path (`none`).
  package func format(_ value: OptionValue, type: OptionType?, words: [String], base: String)
    -> String
  {
    switch value {
    case .text(let text):
      if type == .path {
        if words.contains(text) { return text }
        return Self.quotedIfNeeded(ModelDescription.relativePath(text, base: base), reserved: words)
      }
      return Self.quotedIfNeeded(text, reserved: [])
    case .realList(let values) where values.isEmpty:
      return "\"\""
    case .component(let reference):
      let pairs = optionTexts(reference, base: base)
      return pairs.isEmpty ? reference.name : "\(reference.name)(\(pairs.joined(separator: ", ")))"
    default:
      return value.description
    }
  }

  /// `text` as is when it reads back as one word, else in quotes with `"` and `\` escaped.
  static func quotedIfNeeded(_ text: String, reserved: [String]) -> String {
    let plain =
      !text.isEmpty && !reserved.contains(text)
      && !text.contains { $0.isWhitespace || "#\"=(),".contains($0) }
    if plain { return text }
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    return "\"\(escaped)\""
  }
}
