/// Builds a layer once the size of its input is known (it is inferred from the data or the previous
/// layer), in the precision the run asks for.
public protocol LayerBuilder: Sendable {
  /// The registered kind, e.g. `"dense"`.
  var kind: String { get }
  /// The output size this layer gives for `inputSize` inputs.
  func outputSize(inputSize: Int) -> Int
  /// The number of trainable scalars for `inputSize` inputs.
  func parameterCount(inputSize: Int) -> Int
  /// A short description for summaries (e.g. the activation's name).
  var detail: String { get }
  /// The activation applied by this layer last, if any (to check it against the loss).
  var outputActivation: (any Activation)? { get }
  /// What this layer's outputs are, when it is the last layer: values in a range, or rows that are
  /// probability distributions. Default: the range of `outputActivation`, else unbounded values.
  var outputForm: LayerOutputForm { get }
  /// A new layer with freshly initialized parameters drawn from `generator`.
  func build<S: NNScalar>(
    inputSize: Int, as scalar: S.Type, using generator: inout SeededGenerator
  ) throws -> any Layer<S>
}

extension LayerBuilder {
  public var detail: String { "" }
  public var outputActivation: (any Activation)? { nil }
  public var outputForm: LayerOutputForm {
    .values(outputActivation?.outputRange ?? -Double.infinity...Double.infinity)
  }
}

/// What a layer's outputs are, as the loss checks, the metrics and `predict` read them.
public enum LayerOutputForm: Sendable, Equatable {
  /// Each output lies in the range (bounds may be infinite).
  case values(ClosedRange<Double>)
  /// Each row is a probability distribution: non-negative, summing to 1 (softmax).
  case distribution

  /// Whether each output can be read as a probability (in [0, 1]).
  public var isProbability: Bool {
    switch self {
    case .distribution: true
    case .values(let range): range.lowerBound >= 0 && range.upperBound <= 1
    }
  }
}

/// What a data set factory may need besides its options.
public struct DatasetContext: Sendable {
  /// The folder relative paths are resolved against (the model file's folder).
  public var baseDirectory: String
  /// The run's seed, for generators whose own `seed` option is not given.
  public var seed: UInt64

  public init(baseDirectory: String, seed: UInt64) {
    self.baseDirectory = baseDirectory
    self.seed = seed
  }
}

/// A registered component: its name (and the other names it is known by), documentation, declared
/// options and factory.
public struct ComponentEntry<Product>: Sendable {
  public var kind: ComponentKind
  /// The canonical name: the one descriptions, `nnpipe check` and checkpoints carry.
  public var name: String
  /// Other names of this same component (`linear` for `identity`); a reference written with one
  /// resolves to `name`.
  public var aliases: [String]
  /// One line for `nnpipe list`.
  public var summary: String
  public var options: [OptionSpec]
  /// Makes the component from validated options (defaults filled in).
  public var make: @Sendable (Options, ComponentRegistry) throws -> Product

  public init(
    kind: ComponentKind, name: String, aliases: [String] = [], summary: String,
    options: [OptionSpec], make: @escaping @Sendable (Options, ComponentRegistry) throws -> Product
  ) {
    self.kind = kind
    self.name = name
    self.aliases = aliases
    self.summary = summary
    self.options = options
    self.make = make
  }
}

/// Name → factory tables for every kind of component: the plug-in point of nnpipe.
///
/// A registry is a value, not a global: the command line builds the default one (each built-in module
/// registers its components) and a user's program may add their own before handing it over.
///
/// Each component is one entry under its canonical name; an alias (`linear` for `identity`) is another
/// name of that entry, not an entry of its own. Every lookup accepts an alias, and a reference made
/// through the registry (`reference`, the model parser) carries the canonical name, so what a run does
/// never depends on which of the names a user wrote.
public struct ComponentRegistry: Sendable {
  public private(set) var activations: [String: ComponentEntry<any Activation>] = [:]
  public private(set) var layers: [String: ComponentEntry<any LayerBuilder>] = [:]
  public private(set) var losses: [String: ComponentEntry<any Loss>] = [:]
  public private(set) var optimizers: [String: ComponentEntry<any Optimizer>] = [:]
  public private(set) var initializers: [String: ComponentEntry<any Initializer>] = [:]
  public private(set) var schedules: [String: ComponentEntry<any LearningRateSchedule>] = [:]
  public private(set) var datasets:
    [String: ComponentEntry<@Sendable (DatasetContext) throws -> Dataset>] = [:]
  /// Alias → canonical name, per kind.
  private var canonicalNames: [ComponentKind: [String: String]] = [:]

  /// An empty registry.
  public init() {}

  /// An error for registering a name twice.
  public struct DuplicateName: Error, CustomStringConvertible {
    public var kind: ComponentKind
    public var name: String
    public var description: String { "a \(kind.rawValue) named '\(name)' is already registered" }
  }

  /// Claims `name` and `aliases` for a new entry of `kind`.
  ///
  /// - Throws: `DuplicateName` for a name or alias already taken by an entry of `kind` (as its name or
  ///   one of its aliases), or given twice.
  private mutating func claim(_ kind: ComponentKind, name: String, aliases: [String]) throws {
    var seen: Set<String> = []
    for candidate in [name] + aliases {
      guard canonicalName(candidate, of: kind) == nil, seen.insert(candidate).inserted else {
        throw DuplicateName(kind: kind, name: candidate)
      }
    }
    for alias in aliases { canonicalNames[kind, default: [:]][alias] = name }
  }

  /// Registers an activation, known also by `aliases`.
  public mutating func registerActivation(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options) throws -> any Activation
  ) throws {
    try claim(.activation, name: name, aliases: aliases)
    activations[name] = ComponentEntry(
      kind: .activation, name: name, aliases: aliases, summary: summary, options: options
    ) { o, _ in try make(o) }
  }

  /// Registers a layer kind, known also by `aliases`.
  public mutating func registerLayer(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options, ComponentRegistry) throws -> any LayerBuilder
  ) throws {
    try claim(.layer, name: name, aliases: aliases)
    layers[name] = ComponentEntry(
      kind: .layer, name: name, aliases: aliases, summary: summary, options: options, make: make)
  }

  /// Registers a loss, known also by `aliases`.
  public mutating func registerLoss(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options) throws -> any Loss
  ) throws {
    try claim(.loss, name: name, aliases: aliases)
    losses[name] = ComponentEntry(
      kind: .loss, name: name, aliases: aliases, summary: summary, options: options
    ) { o, _ in try make(o) }
  }

  /// Registers an optimizer, known also by `aliases`.
  public mutating func registerOptimizer(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options) throws -> any Optimizer
  ) throws {
    try claim(.optimizer, name: name, aliases: aliases)
    optimizers[name] = ComponentEntry(
      kind: .optimizer, name: name, aliases: aliases, summary: summary, options: options
    ) { o, _ in try make(o) }
  }

  /// Registers a weight initializer, known also by `aliases`.
  public mutating func registerInitializer(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options) throws -> any Initializer
  ) throws {
    try claim(.initializer, name: name, aliases: aliases)
    initializers[name] = ComponentEntry(
      kind: .initializer, name: name, aliases: aliases, summary: summary, options: options
    ) { o, _ in try make(o) }
  }

  /// Registers a learning-rate schedule, known also by `aliases`.
  public mutating func registerSchedule(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options) throws -> any LearningRateSchedule
  ) throws {
    try claim(.schedule, name: name, aliases: aliases)
    schedules[name] = ComponentEntry(
      kind: .schedule, name: name, aliases: aliases, summary: summary, options: options
    ) { o, _ in try make(o) }
  }

  /// Registers a data set (a generator or a file reader), known also by `aliases`.
  public mutating func registerDataset(
    _ name: String, aliases: [String] = [], summary: String, options: [OptionSpec] = [],
    make: @escaping @Sendable (Options, DatasetContext) throws -> Dataset
  ) throws {
    try claim(.dataset, name: name, aliases: aliases)
    datasets[name] = ComponentEntry(
      kind: .dataset, name: name, aliases: aliases, summary: summary, options: options
    ) { o, _ in { context in try make(o, context) } }
  }

  /// The canonical name of the component of `kind` that `name` names (itself, or the entry an alias
  /// belongs to), or `nil` when nothing of `kind` is registered under it.
  public func canonicalName(_ name: String, of kind: ComponentKind) -> String? {
    entry(kind, exactly: name) != nil ? name : canonicalNames[kind]?[name]
  }

  /// The aliases of the component of `kind` that `name` (or one of its aliases) names, in the order
  /// they were registered; empty when it has none or is not registered.
  public func aliases(of kind: ComponentKind, named name: String) -> [String] {
    entry(kind, named: name)?.aliases ?? []
  }

  /// Every alias of `kind`, sorted (for suggestions and for tests that check each alias).
  public func allAliases(of kind: ComponentKind) -> [String] {
    (canonicalNames[kind] ?? [:]).keys.sorted()
  }

  /// The canonical names of `kind`, sorted (aliases are not listed: see `aliases(of:named:)`).
  public func names(of kind: ComponentKind) -> [String] {
    switch kind {
    case .activation: activations.keys.sorted()
    case .layer: layers.keys.sorted()
    case .loss: losses.keys.sorted()
    case .optimizer: optimizers.keys.sorted()
    case .initializer: initializers.keys.sorted()
    case .schedule: schedules.keys.sorted()
    case .dataset: datasets.keys.sorted()
    }
  }

  /// The declared options of `name` (or an alias) of `kind`, or `nil` if no such component is
  /// registered.
  public func optionSpecs(of kind: ComponentKind, named name: String) -> [OptionSpec]? {
    entry(kind, named: name)?.options
  }

  /// The one-line summary of `name` (or an alias) of `kind`.
  public func summary(of kind: ComponentKind, named name: String) -> String? {
    entry(kind, named: name)?.summary
  }

  /// What every entry has besides its factory, whatever its product.
  private typealias Description = (aliases: [String], summary: String, options: [OptionSpec])

  /// The entry of `kind` registered under the canonical `name` (not an alias), without its factory.
  private func entry(_ kind: ComponentKind, exactly name: String) -> Description? {
    func described<P>(_ table: [String: ComponentEntry<P>]) -> Description? {
      table[name].map { ($0.aliases, $0.summary, $0.options) }
    }
    return switch kind {
    case .activation: described(activations)
    case .layer: described(layers)
    case .loss: described(losses)
    case .optimizer: described(optimizers)
    case .initializer: described(initializers)
    case .schedule: described(schedules)
    case .dataset: described(datasets)
    }
  }

  /// The entry of `kind` that `name` (canonical or an alias) names, without its factory.
  private func entry(_ kind: ComponentKind, named name: String) -> Description? {
    canonicalName(name, of: kind).flatMap { entry(kind, exactly: $0) }
  }

  /// The entry of `table` that `name` (canonical or an alias) names.
  private func lookup<P>(
    _ table: [String: ComponentEntry<P>], _ kind: ComponentKind, _ name: String
  ) -> ComponentEntry<P>? {
    canonicalName(name, of: kind).flatMap { table[$0] }
  }

  /// The message for an unknown name, with a suggestion when one is close:
  /// `unknown activation 'sigmod'; did you mean 'sigmoid'?`
  /// Aliases are searched too (`lineer` suggests `linear`); the list offered when nothing is close
  /// names the canonical components.
  public func unknownNameMessage(_ name: String, of kind: ComponentKind) -> String {
    let suggestion = closestName(to: name, in: names(of: kind) + allAliases(of: kind)).map {
      "; did you mean '\($0)'?"
    }
    return "unknown \(kind.rawValue) \(DisplayText.quotedWithNote(name))"
      + (suggestion ?? "; expected one of: \(names(of: kind).joined(separator: ", "))")
  }

  /// Fills in the defaults of `name`'s options and validates the given ones.
  ///
  /// - Returns: the complete options, or the problems, each with the key it concerns.
  public func resolveOptions(
    of kind: ComponentKind, named name: String, given: [(key: String, value: OptionValue)]
  ) -> Result<Options, OptionProblems> {
    guard let specs = optionSpecs(of: kind, named: name) else {
      return .failure(OptionProblems([(nil, unknownNameMessage(name, of: kind))]))
    }
    var problems: [(String?, String)] = []
    var givenByKey: [String: OptionValue] = [:]
    for (key, value) in given {
      guard let spec = specs.first(where: { $0.name == key }) else {
        let suggestion = closestName(to: key, in: specs.map(\.name)).map {
          "; did you mean '\($0)'?"
        }
        let known =
          specs.isEmpty
          ? "it has none" : "expected one of: \(specs.map(\.name).joined(separator: ", "))"
        problems.append(
          (
            key,
            "unknown option \(DisplayText.quotedWithNote(key)) for \(kind.rawValue) '\(name)'"
              + (suggestion ?? "; \(known)")
          ))
        continue
      }
      if givenByKey[key] != nil {
        problems.append((key, "option '\(key)' is given twice"))
        continue
      }
      if let problem = spec.problem(with: value) {
        problems.append((key, "\(kind.rawValue) '\(name)' option '\(key)': \(problem)"))
        continue
      }
      givenByKey[key] = value
    }
    var resolved: [(String, OptionValue)] = []
    for spec in specs {
      if let value = givenByKey[spec.name] ?? spec.defaultValue {
        resolved.append((spec.name, value))
      } else if !problems.contains(where: { $0.0 == spec.name }) {
        problems.append(
          (nil, "\(kind.rawValue) '\(name)' needs option '\(spec.name)' (\(spec.expectation))"))
      }
    }
    return problems.isEmpty ? .success(Options(resolved)) : .failure(OptionProblems(problems))
  }

  /// The options of `reference` with the component's defaults filled in and every given value
  /// checked: a reference written in code with only some options (`.loss("huber")`) builds the
  /// same component as the parsed model line, and a bad value is an `InputError`, never a crash.
  private func completedOptions(of reference: ComponentReference) throws -> Options {
    let given = reference.options.order.compactMap { key in
      reference.options[key].map { (key: key, value: $0) }
    }
    switch resolveOptions(of: reference.kind, named: reference.name, given: given) {
    case .success(let options): return options
    case .failure(let problems): throw InputError(problems.description)
    }
  }

  /// Builds the activation `reference` names.
  public func makeActivation(_ reference: ComponentReference) throws -> any Activation {
    guard let entry = lookup(activations, .activation, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .activation))
    }
    return try entry.make(try completedOptions(of: reference), self)
  }

  /// Builds the layer builder `reference` names.
  public func makeLayer(_ reference: ComponentReference) throws -> any LayerBuilder {
    guard let entry = lookup(layers, .layer, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .layer))
    }
    return try entry.make(try completedOptions(of: reference), self)
  }

  /// Builds the loss `reference` names.
  public func makeLoss(_ reference: ComponentReference) throws -> any Loss {
    guard let entry = lookup(losses, .loss, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .loss))
    }
    return try entry.make(try completedOptions(of: reference), self)
  }

  /// Builds the optimizer `reference` names.
  public func makeOptimizer(_ reference: ComponentReference) throws -> any Optimizer {
    guard let entry = lookup(optimizers, .optimizer, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .optimizer))
    }
    return try entry.make(try completedOptions(of: reference), self)
  }

  /// Builds the initializer `reference` names.
  public func makeInitializer(_ reference: ComponentReference) throws -> any Initializer {
    guard let entry = lookup(initializers, .initializer, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .initializer))
    }
    return try entry.make(try completedOptions(of: reference), self)
  }

  /// Builds the schedule `reference` names.
  public func makeSchedule(_ reference: ComponentReference) throws -> any LearningRateSchedule {
    guard let entry = lookup(schedules, .schedule, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .schedule))
    }
    return try entry.make(try completedOptions(of: reference), self)
  }

  /// Loads or generates the data set `reference` names.
  public func makeDataset(_ reference: ComponentReference, context: DatasetContext) throws
    -> Dataset
  {
    guard let entry = lookup(datasets, .dataset, reference.name) else {
      throw InputError(unknownNameMessage(reference.name, of: .dataset))
    }
    return try entry.make(try completedOptions(of: reference), self)(context)
  }

  /// A reference to `name` (or an alias) of `kind` with the `given` options and the defaults of the
  /// others (for defaults written in code); it carries the canonical name.
  public func reference(
    _ kind: ComponentKind, _ name: String, _ given: [(key: String, value: OptionValue)] = []
  ) throws -> ComponentReference {
    switch resolveOptions(of: kind, named: name, given: given) {
    case .success(let options):
      return ComponentReference(
        kind: kind, name: canonicalName(name, of: kind) ?? name, options: options)
    case .failure(let problems): throw InputError(problems.description)
    }
  }
}

/// Problems found while resolving a component's options, each with the key it concerns (if any).
public struct OptionProblems: Error, Sendable, CustomStringConvertible {
  public var problems: [(key: String?, message: String)]
  public init(_ problems: [(String?, String)]) {
    self.problems = problems.map { (key: $0.0, message: $0.1) }
  }
  public var description: String { problems.map(\.message).joined(separator: "; ") }
}
