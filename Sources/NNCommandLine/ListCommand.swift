import NNProtocols

/// `nnpipe list [KIND]`: every registered component with its options and defaults.
let listCommand = Command(
  name: "list",
  abstract: "Show every registered component with its options and defaults.",
  discussion: """
    Kinds: \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")). Components added by a \
    program that embeds nnpipe are listed too.
    """,
  arguments: [
    ArgumentSpec("KIND", .positional(optional: true), help: "Only this kind of component.")
  ]
) { arguments, context in
  var kinds = ComponentKind.allCases
  if let requested = arguments.positional("KIND") {
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

/// The text of `nnpipe list`: per kind, each component's summary and options.
func componentListing(_ registry: ComponentRegistry, kinds: [ComponentKind]) -> String {
  var lines: [String] = []
  for kind in kinds {
    let names = registry.names(of: kind)
    let plural = kind == .loss ? "losses" : "\(kind.rawValue)s"
    lines.append("\(plural.uppercased()) (\(names.count))")
    for name in names {
      lines.append("  \(name) — \(registry.summary(of: kind, named: name) ?? "")")
      for spec in registry.optionSpecs(of: kind, named: name) ?? [] {
        let value = spec.defaultValue.map { "default \($0)" } ?? "required"
        lines.append("      \(spec.name)=…  \(spec.help) (\(spec.expectation); \(value))")
      }
    }
    lines.append("")
  }
  return lines.joined(separator: "\n")
}
