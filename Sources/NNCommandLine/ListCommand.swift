import NNProtocols

/// The arguments of `nnpipe list`.
enum ListArguments {
  static let kind = Argument.optionalPositional("KIND", help: "Only this kind of component.")
}

/// `nnpipe list [KIND]`: every registered component with its options and defaults.
let listCommand = Command(
  name: "list",
  abstract: "Show every registered component with its options and defaults.",
  discussion: """
    Kinds: \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")). Components added by a \
    program that embeds nnpipe are listed too.
    """,
  arguments: [
    ListArguments.kind
  ]
) { arguments, context in
  var kinds = ComponentKind.allCases
  if let requested = arguments[ListArguments.kind] {
    let singular = requested.hasSuffix("s") ? String(requested.dropLast()) : requested
    guard let kind = ComponentKind(rawValue: singular) else {
      let suggestion = closestName(to: singular, in: ComponentKind.allCases.map(\.rawValue))
      throw UsageError(
        "unknown component kind '\(requested)'"
          + (suggestion.map { "; did you mean '\($0)'?" }
            ?? "; expected one of: \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", "))")
      )
    }
    kinds = [kind]
  }
  context.console.print(componentListing(context.registry, kinds: kinds))
  return ExitStatus.success
}

/// The text of `nnpipe list`: per kind, each component's summary (with its aliases, and for an
/// optimizer the requirements it declares) and options.
func componentListing(_ registry: ComponentRegistry, kinds: [ComponentKind]) -> String {
  var lines: [String] = []
  for kind in kinds {
    let names = registry.names(of: kind)
    let plural = kind == .loss ? "losses" : "\(kind.rawValue)s"
    lines.append("\(plural.uppercased()) (\(names.count))")
    for name in names {
      let aliases = registry.aliases(of: kind, named: name)
      let aka =
        aliases.isEmpty
        ? "" : " (alias\(aliases.count == 1 ? "" : "es") \(aliases.joined(separator: ", ")))"
      let notes =
        [registry.summary(of: kind, named: name) ?? ""]
        + declaredRequirements(
          kind, name, registry)
      lines.append("  \(name)\(aka) — \(notes.filter { !$0.isEmpty }.joined(separator: "; "))")
      for spec in registry.optionSpecs(of: kind, named: name) ?? [] {
        let value = spec.defaultValue.map { "default \($0)" } ?? "required"
        lines.append("      \(spec.name)=…  \(spec.help) (\(spec.expectation); \(value))")
      }
    }
    lines.append("")
  }
  return lines.joined(separator: "\n")
}

/// What the optimizer `name` declares it needs of training (`Optimizer.requirements`, e.g. `full batch
/// only`), read from one built with its default options; empty for other kinds, and for an optimizer
/// that has a required option (it cannot be built without one).
private func declaredRequirements(
  _ kind: ComponentKind, _ name: String, _ registry: ComponentRegistry
) -> [String] {
  guard kind == .optimizer,
    let optimizer = try? registry.makeOptimizer(registry.reference(.optimizer, name))
  else { return [] }
  return optimizer.requirements.map(\.description).sorted()
}
