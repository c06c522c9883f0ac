import NNProtocols

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
/// | `history` | JSON object of per-epoch series, e.g. `{"loss": [0.5, 0.2]}`; optional |
///
/// Other keys (e.g. added by a user in Python) are kept in `additional` and written back unchanged.
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
  /// Metadata keys nnpipe does not define, kept as they were.
  public var additional: [String: String]

  /// Metadata for a checkpoint; every argument but the version and the model has a default.
  public init(
    nnpipeVersion: String, model: String, preprocessing: String = "{}",
    classNames: [String]? = nil, featureNames: [String] = [], epoch: Int = 0,
    optimizerStep: Int = 0, generatorState: [UInt64]? = nil, precision: Precision = .float,
    components: [String] = [], history: [String: [Double]]? = nil,
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
    self.additional = additional
  }

  /// The keys nnpipe defines.
  static let definedKeys: Set<String> = [
    "format", "format_version", "nnpipe_version", "model", "preprocessing", "class_names",
    "feature_names", "epoch", "optimizer_step", "generator_state", "precision", "components",
    "history",
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
    func count(_ key: String) throws -> Int {
      guard let value = Int(try required(key, "a non-negative integer")), value >= 0 else {
        throw problem(key, "a non-negative integer")
      }
      return value
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
    if let words = try stringArray("generator_state") {
      let state = words.compactMap { UInt64($0) }
      guard state.count == 4, words.count == 4, SeededGenerator(state: state) != nil else {
        throw problem("generator_state", stateExpected)
      }
      generatorState = state
    } else {
      generatorState = nil
    }

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
