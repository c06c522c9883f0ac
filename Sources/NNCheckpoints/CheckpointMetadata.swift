import NNProtocols
import NNTraining

/// What an nnpipe checkpoint records besides its tensors: enough to predict with it alone and to
/// resume the run that wrote it exactly.
///
/// Stored as the safetensors `__metadata__` strings (every value is a string there; lists are JSON
/// text):
///
/// | key | value |
/// | --- | --- |
/// | `format` | `nnpipe-checkpoint` |
/// | `format_version` | `1` |
/// | `nnpipe_version` | the version that wrote it |
/// | `model` | the resolved model description text |
/// | `preprocessing` | the preprocessing statistics, JSON |
/// | `class_names` | JSON array of strings; absent for a regression |
/// | `feature_names` | JSON array of strings |
/// | `epoch` | epochs completed |
/// | `optimizer_step` | optimizer updates performed |
/// | `generator_state` | JSON array of the 4 generator words as decimal strings; optional |
/// | `precision` | `float` or `double` |
/// | `components` | JSON array of `"kind:name"` strings the model needs |
/// | `resume_batch` | steps done in the interrupted epoch `epoch + 1`; absent at an epoch boundary |
/// | `resume_loss_sum` | the interrupted epoch's sum of batch loss × batch size; with `resume_batch` |
/// | `layer_generator_states` | JSON object: layer path → its generator's 4 words; optional |
/// | `early_stopping_best_loss`, `early_stopping_best_epoch`, `early_stopping_epochs_without_improvement` | early stopping's state; all or none |
/// | `history_layout` | JSON object: series name → `{"epochs": N, "epochs_per_bucket": K}` of the tensor `history.<name>`; optional |
/// | `history` | JSON object of per-epoch series, e.g. `{"loss": [0.5, 0.2]}`: read from older checkpoints, no longer written |
///
/// Counts (`epoch`, `optimizer_step`, `resume_batch`, …) are at most 2⁵³ (`maximumCount`), so that
/// no arithmetic on them can overflow. Other keys (e.g. added by a user in Python) are kept in `additional` and written back unchanged.
public struct CheckpointMetadata: Sendable, Equatable {
  /// The value of the `format` key that marks an nnpipe checkpoint.
  public static let format = "nnpipe-checkpoint"
  /// The checkpoint layout version this nnpipe writes and reads.
  public static let formatVersion = 1

  /// The nnpipe version that wrote the checkpoint.
  public var nnpipeVersion: String
  /// The resolved model description text (defaults filled in).
  public var model: String
  /// The preprocessing statistics as JSON text (e.g. feature means and deviations); default `{}`.
  public var preprocessing: String
  /// The class names in index order for a classifier; `nil` for a regression.
  public var classNames: [String]?
  /// The names of the input features, in column order.
  public var featureNames: [String]
  /// The number of epochs completed.
  public var epoch: Int
  /// The number of optimizer updates performed (Adam's bias correction continues from it).
  public var optimizerStep: Int
  /// The run's random generator state (`SeededGenerator.state`), so a resumed run draws the same
  /// shuffles and dropout masks; `nil` if not recorded.
  public var generatorState: [UInt64]?
  /// The precision the run computed in (and the tensors' dtype: `F32` or `F64`).
  public var precision: Precision
  /// The components the model needs, as `"kind:name"` (e.g. `"activation:sigmoid"`), so a program
  /// loading it can say which custom component is missing from its registry.
  public var components: [String]
  /// Per-epoch series by name (e.g. `"loss"`, `"val_loss"`); NaN is stored as JSON `null`.
  public var history: [String: [Double]]?
  /// Steps completed in the interrupted epoch (`epoch + 1`); 0 at an epoch boundary.
  public var resumeBatch: Int
  /// The interrupted epoch's sum of batch loss × batch size over its completed steps (finite).
  public var resumeLossSum: Double
  /// The generator state of every layer that draws random numbers (dropout), by layer path.
  public var layerGeneratorStates: [String: [UInt64]]
  /// Early stopping's state, for a run with early stopping; `nil` otherwise.
  public var earlyStopping: EarlyStoppingState?
  /// The layout of each history tensor `history.<name>`, by series name.
  public var historyLayout: [String: HistoryLayout]
  /// Metadata keys nnpipe does not define, kept as they were.
  public var additional: [String: String]

  /// The largest value a count in the metadata may have: 2⁵³ (exact in a `Double`, and far below
  /// `Int.max`, so that adding a budget to it cannot overflow).
  public static let maximumCount = 1 << 53

  /// How a history tensor stores its series (`EpochSeries`): the epochs it covers and the epochs per
  /// bucket (1: one value per epoch, shape `[epochs]`; more: `[buckets, 2]` minimum and maximum).
  public struct HistoryLayout: Sendable, Equatable {
    /// The epochs the series covers.
    public var epochs: Int
    /// The epochs each bucket covers (a power of two).
    public var epochsPerBucket: Int

    public init(epochs: Int, epochsPerBucket: Int) {
      self.epochs = epochs
      self.epochsPerBucket = epochsPerBucket
    }
  }

  /// Metadata for a checkpoint; every argument but the version and the model has a default.
  public init(
    nnpipeVersion: String, model: String, preprocessing: String = "{}",
    classNames: [String]? = nil, featureNames: [String] = [], epoch: Int = 0,
    optimizerStep: Int = 0, generatorState: [UInt64]? = nil, precision: Precision = .float,
    components: [String] = [], history: [String: [Double]]? = nil, resumeBatch: Int = 0,
    resumeLossSum: Double = 0, layerGeneratorStates: [String: [UInt64]] = [:],
    earlyStopping: EarlyStoppingState? = nil, historyLayout: [String: HistoryLayout] = [:],
    additional: [String: String] = [:]
  ) {
    self.nnpipeVersion = nnpipeVersion
    self.model = model
    self.preprocessing = preprocessing
    self.classNames = classNames
    self.featureNames = featureNames
    self.epoch = epoch
    self.optimizerStep = optimizerStep
    self.generatorState = generatorState
    self.precision = precision
    self.components = components
    self.history = history
    self.resumeBatch = resumeBatch
    self.resumeLossSum = resumeLossSum
    self.layerGeneratorStates = layerGeneratorStates
    self.earlyStopping = earlyStopping
    self.historyLayout = historyLayout
    self.additional = additional
  }

  /// The keys nnpipe defines.
  static let definedKeys: Set<String> = [
    "format", "format_version", "nnpipe_version", "model", "preprocessing", "class_names",
    "feature_names", "epoch", "optimizer_step", "generator_state", "precision", "components",
    "history", "resume_batch", "resume_loss_sum", "layer_generator_states",
    "early_stopping_best_loss", "early_stopping_best_epoch",
    "early_stopping_epochs_without_improvement", "history_layout",
  ]

  /// The metadata as safetensors `__metadata__` strings.
  public var strings: [String: String] {
    var result = additional
    result["format"] = Self.format
    result["format_version"] = String(Self.formatVersion)
    result["nnpipe_version"] = nnpipeVersion
    result["model"] = model
    result["preprocessing"] = preprocessing
    if let classNames { result["class_names"] = Self.jsonArray(classNames) }
    result["feature_names"] = Self.jsonArray(featureNames)
    result["epoch"] = String(epoch)
    result["optimizer_step"] = String(optimizerStep)
    if let generatorState {
      result["generator_state"] = Self.jsonArray(generatorState.map(String.init))
    }
    result["precision"] = precision.rawValue
    result["components"] = Self.jsonArray(components)
    if let history {
      let members = history.keys.sorted().map { name in
        JSONMember(key: name, value: .array(history[name]!.map(JSONValue.number)))
      }
      result["history"] = JSONValue.object(members).text
    }
    if resumeBatch > 0 {
      result["resume_batch"] = String(resumeBatch)
      result["resume_loss_sum"] = "\(resumeLossSum)"
    }
    if !layerGeneratorStates.isEmpty {
      let members = layerGeneratorStates.keys.sorted().map { path in
        JSONMember(
          key: path,
          value: .array(layerGeneratorStates[path]!.map { JSONValue.string(String($0)) }))
      }
      result["layer_generator_states"] = JSONValue.object(members).text
    }
    if let earlyStopping {
      result["early_stopping_best_loss"] = "\(earlyStopping.bestLoss)"
      result["early_stopping_best_epoch"] = String(earlyStopping.bestEpoch)
      result["early_stopping_epochs_without_improvement"] = String(
        earlyStopping.epochsWithoutImprovement)
    }
    if !historyLayout.isEmpty {
      let members = historyLayout.keys.sorted().map { name in
        let layout = historyLayout[name]!
        return JSONMember(
          key: name,
          value: .object([
            JSONMember(key: "epochs", value: .number(String(layout.epochs))),
            JSONMember(key: "epochs_per_bucket", value: .number(String(layout.epochsPerBucket))),
          ]))
      }
      result["history_layout"] = JSONValue.object(members).text
    }
    return result
  }

  /// Reads and checks metadata `strings` of the checkpoint `file`.
  ///
  /// - Throws: `InputError` naming the file and the key: a file without `format` =
  ///   `nnpipe-checkpoint` is not an nnpipe checkpoint; a newer `format_version` needs a newer nnpipe;
  ///   a missing key or a value of the wrong form is named with what was expected.
  public init(strings: [String: String], file: String) throws {
    func problem(_ key: String, _ expected: String, hint: String? = nil) -> InputError {
      let found = strings[key].map { "found \(Self.excerpt($0))" } ?? "the key is missing"
      return InputError(
        file: file, "checkpoint metadata '\(key)' must be \(expected); \(found)", hint: hint)
    }
    func required(_ key: String, _ expected: String) throws -> String {
      guard let value = strings[key] else { throw problem(key, expected) }
      return value
    }
    let countExpected = "an integer from 0 to 2^53 (\(Self.maximumCount))"
    func count(_ key: String) throws -> Int {
      guard let value = Int(try required(key, countExpected)),
        (0...Self.maximumCount).contains(value)
      else { throw problem(key, countExpected) }
      return value
    }
    func optionalCount(_ key: String) throws -> Int? {
      strings[key] == nil ? nil : try count(key)
    }
    func stateWords(_ value: JSONValue) -> [UInt64]? {
      guard let words = value.elements, words.count == 4 else { return nil }
      let state = words.compactMap { $0.string.flatMap { UInt64($0) } }
      guard state.count == 4, SeededGenerator(state: state) != nil else { return nil }
      return state
    }
    func json(_ key: String, _ expected: String) throws -> JSONValue? {
      guard let text = strings[key] else { return nil }
      do { return try JSONValue.parse(text) } catch {
        throw problem(key, expected + " (JSON: \(error))")
      }
    }
    func stringArray(_ key: String) throws -> [String]? {
      let expected = "a JSON array of strings"
      guard let value = try json(key, expected) else { return nil }
      guard let elements = value.elements else { throw problem(key, expected) }
      return try elements.map { element in
        guard let text = element.string else { throw problem(key, expected) }
        return text
      }
    }

    guard strings["format"] == Self.format else {
      throw InputError(
        file: file,
        "not an nnpipe checkpoint: its metadata has no 'format' = '\(Self.format)'",
        hint: "a safetensors file written elsewhere (e.g. by PyTorch) can give initial weights")
    }
    let version = try required("format_version", "an integer")
    guard let versionNumber = Int(version) else { throw problem("format_version", "an integer") }
    guard versionNumber <= Self.formatVersion else {
      throw InputError(
        file: file,
        "checkpoint format_version \(versionNumber) is newer than the version \(Self.formatVersion) this nnpipe reads",
        hint: "update nnpipe to read it")
    }
    guard versionNumber >= 1 else { throw problem("format_version", "1") }

    nnpipeVersion = try required("nnpipe_version", "a version string")
    model = try required("model", "the model description text")
    let preprocessingText = try required("preprocessing", "JSON text")
    _ = try json("preprocessing", "JSON text")
    preprocessing = preprocessingText
    classNames = try stringArray("class_names")
    guard let features = try stringArray("feature_names") else {
      throw problem("feature_names", "a JSON array of strings")
    }
    featureNames = features
    epoch = try count("epoch")
    optimizerStep = try count("optimizer_step")

    let stateExpected = "a JSON array of 4 decimal strings (64-bit words, not all zero)"
    if let value = try json("generator_state", stateExpected) {
      guard let state = stateWords(value) else {
        throw problem("generator_state", stateExpected)
      }
      generatorState = state
    } else {
      generatorState = nil
    }

    resumeBatch = try optionalCount("resume_batch") ?? 0
    let sumExpected = "a finite number (the interrupted epoch's loss sum), given with resume_batch"
    if let text = strings["resume_loss_sum"] {
      guard let sum = Double(text), sum.isFinite else {
        throw problem("resume_loss_sum", sumExpected)
      }
      resumeLossSum = sum
    } else {
      guard resumeBatch == 0 else { throw problem("resume_loss_sum", sumExpected) }
      resumeLossSum = 0
    }

    let layerStatesExpected =
      "a JSON object of layer paths (layers.N), each an array of 4 decimal strings (not all zero)"
    var layerStates: [String: [UInt64]] = [:]
    if let value = try json("layer_generator_states", layerStatesExpected) {
      guard let members = value.members else {
        throw problem("layer_generator_states", layerStatesExpected)
      }
      for member in members {
        guard member.key.hasPrefix("layers."), Int(member.key.dropFirst(7)) != nil,
          let state = stateWords(member.value)
        else { throw problem("layer_generator_states", layerStatesExpected) }
        layerStates[member.key] = state
      }
    }
    layerGeneratorStates = layerStates

    let stoppingKeys = [
      "early_stopping_best_loss", "early_stopping_best_epoch",
      "early_stopping_epochs_without_improvement",
    ]
    if stoppingKeys.contains(where: { strings[$0] != nil }) {
      let lossExpected = "a number or inf (the best monitored loss), not NaN"
      guard let text = strings[stoppingKeys[0]], let best = Double(text), !best.isNaN,
        best != -.infinity
      else { throw problem(stoppingKeys[0], lossExpected) }
      let bestEpoch = try count(stoppingKeys[1])
      let waited = try count(stoppingKeys[2])
      guard bestEpoch <= epoch else {
        throw problem(stoppingKeys[1], "at most the epochs completed (\(epoch))")
      }
      guard waited <= epoch else {
        throw problem(stoppingKeys[2], "at most the epochs completed (\(epoch))")
      }
      earlyStopping = EarlyStoppingState(
        bestLoss: best, bestEpoch: bestEpoch, epochsWithoutImprovement: waited)
    } else {
      earlyStopping = nil
    }

    let layoutExpected =
      "a JSON object of series names, each {\"epochs\": N, \"epochs_per_bucket\": K} with N at most "
      + "the epochs completed and K a power of two"
    var layouts: [String: HistoryLayout] = [:]
    if let value = try json("history_layout", layoutExpected) {
      guard let members = value.members else { throw problem("history_layout", layoutExpected) }
      for member in members {
        func number(_ key: String) -> Int? {
          guard
            case .number(let text)? = member.value.members?.first(where: { $0.key == key })?.value
          else { return nil }
          return Int(text)
        }
        guard let epochs = number("epochs"), (0...epoch).contains(epochs),
          let perBucket = number("epochs_per_bucket"), (1...Self.maximumCount).contains(perBucket),
          perBucket & (perBucket - 1) == 0
        else { throw problem("history_layout", layoutExpected) }
        layouts[member.key] = HistoryLayout(epochs: epochs, epochsPerBucket: perBucket)
      }
    }
    historyLayout = layouts

    let precisionText = try required("precision", "float or double")
    guard let parsedPrecision = Precision(rawValue: precisionText) else {
      throw problem("precision", "float or double")
    }
    precision = parsedPrecision
    guard let componentNames = try stringArray("components") else {
      throw problem("components", "a JSON array of strings")
    }
    components = componentNames

    let historyExpected = "a JSON object of arrays of numbers (or null)"
    if let value = try json("history", historyExpected) {
      guard let members = value.members else { throw problem("history", historyExpected) }
      var series: [String: [Double]] = [:]
      for member in members {
        guard let elements = member.value.elements else {
          throw problem("history", historyExpected)
        }
        series[member.key] = try elements.map { element in
          switch element {
          case .null: return .nan
          case .number(let text):
            guard let number = Double(text) else { throw problem("history", historyExpected) }
            return number
          default: throw problem("history", historyExpected)
          }
        }
      }
      history = series
    } else {
      history = nil
    }
    additional = strings.filter { !Self.definedKeys.contains($0.key) }
  }

  /// `strings` as a JSON array.
  static func jsonArray(_ strings: [String]) -> String {
    JSONValue.array(strings.map(JSONValue.string)).text
  }

  /// The start of `text` for an error message (a model text can be long).
  static func excerpt(_ text: String) -> String {
    let limit = 60
    return text.count <= limit ? "'\(text)'" : "'\(text.prefix(limit))…'"
  }
}
