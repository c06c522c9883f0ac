import Foundation
import NNCheckpoints
import NNModelLanguage
import NNProtocols

extension ModelDescription {
  /// A model described in Swift code: the statements of a model file as values.
  ///
  /// ```swift
  /// let description = try ModelDescription(
  ///   layers: [.dense(units: 4, activation: "tanh"), .dense(units: 1, activation: "sigmoid")],
  ///   loss: .loss("binary_cross_entropy"), optimizer: .optimizer("adam", ["lr": 0.05]),
  ///   training: TrainingSettings(epochs: 1000, batchSize: nil))
  /// ```
  /// is the model file
  /// ```
  /// data csv path=data.csv
  /// layer dense units=4 activation=tanh
  /// layer dense units=1 activation=sigmoid
  /// loss binary_cross_entropy
  /// optimizer adam lr=0.05
  /// train epochs=1000 batch=full
  /// ```
  /// Every component is looked up in `registry`, its options checked and completed with their
  /// defaults, as `ModelParser` does for text: the description equals the parsed text, `text(registry:)`
  /// prints it, and a checkpoint of it (`TrainedModel.save(to:)`) is read by `nnpipe predict`.
  /// Relative paths (`.data("csv", ["path": "iris.csv"])`) are taken from the current directory.
  ///
  /// - Parameters:
  ///   - data: the `data` statement; `ModelRunner.train(_:)` reads it, `ModelRunner.train(_:on:)`
  ///     trains on data in memory instead. Default `csv path=data.csv`.
  ///   - layers: the `layer` statements, first to last (at least one).
  ///   - loss, optimizer, schedule: the component statements; `nil` for the defaults a model file
  ///     gets without them.
  ///   - split, preprocessing, training, earlyStopping: the `split`, `preprocess`, `train` and
  ///     `early_stopping` statements.
  ///   - registry: where components are looked up; default the standard one.
  /// - Throws: `InputError` naming the statement (`layers.1`, `loss`) and the problem: an unknown
  ///   name (with the closest one), an unknown option, a value out of its range.
  public init(
    data: ComponentReference = .data("csv", ["path": "data.csv"]),
    layers: [ComponentReference], loss: ComponentReference? = nil,
    optimizer: ComponentReference? = nil, schedule: ComponentReference? = nil,
    split: SplitSettings = SplitSettings(),
    preprocessing: PreprocessSettings = PreprocessSettings(),
    training: TrainingSettings = TrainingSettings(), earlyStopping: EarlyStoppingSettings? = nil,
    registry: ComponentRegistry = .standard()
  ) throws {
    guard !layers.isEmpty else { throw InputError("a model needs at least one layer") }
    let base = FileManager.default.currentDirectoryPath
    func resolve(_ reference: ComponentReference?, _ statement: String) throws
      -> ComponentReference?
    {
      guard let reference else { return nil }
      do {
        return try Self.resolved(reference, registry: registry, base: base)
      } catch var error as InputError {
        error.message = "\(statement): " + error.message
        throw error
      }
    }
    self.init(
      sourcePath: nil, baseDirectory: base, data: try resolve(data, "data")!, split: split,
      preprocessing: preprocessing,
      layers: try layers.enumerated().map { try resolve($1, "layers.\($0)")! },
      loss: try resolve(loss, "loss"), optimizer: try resolve(optimizer, "optimizer"),
      schedule: try resolve(schedule, "schedule"), training: training,
      earlyStopping: earlyStopping)
  }

  /// The model file this description is, every option written out (`ModelPrinter.resolvedText`).
  public func text(registry: ComponentRegistry = .standard()) -> String {
    ModelPrinter(registry: registry).resolvedText(self)
  }

  /// `reference` with its name made canonical, its options checked and its defaults filled in,
  /// nested components (a dense layer's `activation`) included: a name given as text where a
  /// component is expected becomes that component, a whole number where a real is expected
  /// becomes that real, and a relative path is joined to `base`.
  static func resolved(
    _ reference: ComponentReference, registry: ComponentRegistry, base: String
  ) throws -> ComponentReference {
    guard let specs = registry.optionSpecs(of: reference.kind, named: reference.name) else {
      throw InputError(registry.unknownNameMessage(reference.name, of: reference.kind))
    }
    var given: [(key: String, value: OptionValue)] = []
    for key in reference.options.order {
      guard var value = reference.options[key] else { continue }
      switch (specs.first { $0.name == key }?.type, value) {
      case (.component(let kind)?, .text(let name)):
        value = .component(
          try resolved(ComponentReference(kind: kind, name: name), registry: registry, base: base))
      case (.component?, .component(let nested)):
        value = .component(try resolved(nested, registry: registry, base: base))
      case (.real?, .integer(let number)):
        value = .real(Double(number))
      case (.path?, .text(let path)):
        value = .text(absolutePath(path, base: base))
      default:
        break
      }
      given.append((key, value))
    }
    return try registry.reference(reference.kind, reference.name, given)
  }
}
