import NNProtocols
import Testing

@testable import NNPipeline

@Suite struct CheckpointMetadataTests {
  /// Metadata with every field set.
  static let full = CheckpointMetadata(
    nnpipeVersion: "0.3.1", model: "data sine\ndense units=20 activation=sigmoid\n",
    preprocessing: #"{"features":{"mean":[0.5],"std":[2]}}"#, classNames: ["setosa", "versicolor"],
    featureNames: ["sepal length", "petal \"width\""], epoch: 12, optimizerStep: 345,
    generatorState: [1, 2, .max, 0], precision: .double,
    components: ["activation:sigmoid", "layer:dense"],
    history: ["loss": [0.5, 0.25], "val_loss": [0.75, 0.125]],
    additional: ["user.note": "from a notebook"])

  @Test func writesEveryKeyAsAString() {
    let strings = Self.full.strings
    #expect(strings["format"] == "nnpipe-checkpoint")
    #expect(strings["format_version"] == "1")
    #expect(strings["nnpipe_version"] == "0.3.1")
    #expect(strings["model"] == "data sine\ndense units=20 activation=sigmoid\n")
    #expect(strings["preprocessing"] == #"{"features":{"mean":[0.5],"std":[2]}}"#)
    #expect(strings["class_names"] == #"["setosa","versicolor"]"#)
    #expect(strings["feature_names"] == #"["sepal length","petal \"width\""]"#)
    #expect(strings["epoch"] == "12")
    #expect(strings["optimizer_step"] == "345")
    #expect(strings["generator_state"] == #"["1","2","18446744073709551615","0"]"#)
    #expect(strings["precision"] == "double")
    #expect(strings["components"] == #"["activation:sigmoid","layer:dense"]"#)
    #expect(strings["history"] == #"{"loss":[0.5,0.25],"val_loss":[0.75,0.125]}"#)
    #expect(strings["user.note"] == "from a notebook")
    #expect(strings.count == 14)
  }

  @Test func readsBackWhatItWrites() throws {
    #expect(try CheckpointMetadata(strings: Self.full.strings, file: "x") == Self.full)
    let minimal = CheckpointMetadata(nnpipeVersion: "1", model: "m")
    #expect(minimal.strings["class_names"] == nil && minimal.strings["history"] == nil)
    #expect(try CheckpointMetadata(strings: minimal.strings, file: "x") == minimal)
  }

  @Test func nonFiniteHistoryValuesTravelAsNull() throws {
    var metadata = Self.full
    metadata.history = ["loss": [1, .nan, .infinity]]
    #expect(metadata.strings["history"] == #"{"loss":[1.0,null,null]}"#)
    let read = try CheckpointMetadata(strings: metadata.strings, file: "x")
    #expect(read.history?["loss"]?[0] == 1)
    #expect(read.history?["loss"]?[1].isNaN == true)
    #expect(read.history?["loss"]?[2].isNaN == true)
  }

  /// The error reading `strings` with `key` set to `value` (or removed, for `nil`).
  func error(setting key: String, to value: String?) -> InputError? {
    var strings = Self.full.strings
    strings[key] = value
    return #expect(throws: InputError.self) {
      try CheckpointMetadata(strings: strings, file: "run.safetensors")
    }
  }

  @Test func aFileWithoutTheFormatKeyIsNotACheckpoint() {
    let problem = error(setting: "format", to: nil)
    #expect(problem?.file == "run.safetensors")
    #expect(
      problem?.message
        == "not an nnpipe checkpoint: its metadata has no 'format' = 'nnpipe-checkpoint'")
    #expect(error(setting: "format", to: "pt")?.message == problem?.message)
  }

  @Test func aNewerFormatVersionAsksForANewerNNPipe() {
    let problem = error(setting: "format_version", to: "2")
    #expect(
      problem?.message
        == "checkpoint format_version 2 is newer than the version 1 this nnpipe reads")
    #expect(problem?.hint == "update nnpipe to read it")
    #expect(
      error(setting: "format_version", to: "one")?.message
        == "checkpoint metadata 'format_version' must be an integer; found 'one'")
  }

  @Test(
    arguments: [
      (
        "epoch", nil,
        "checkpoint metadata 'epoch' must be a non-negative integer; the key is missing"
      ),
      ("epoch", "-1", "checkpoint metadata 'epoch' must be a non-negative integer; found '-1'"),
      (
        "optimizer_step", "1.5",
        "checkpoint metadata 'optimizer_step' must be a non-negative integer; found '1.5'"
      ),
      (
        "model", nil,
        "checkpoint metadata 'model' must be the model description text; the key is missing"
      ),
      (
        "precision", "half", "checkpoint metadata 'precision' must be float or double; found 'half'"
      ),
      (
        "class_names", "[1, 2]",
        "checkpoint metadata 'class_names' must be a JSON array of strings; found '[1, 2]'"
      ),
      (
        "feature_names", nil,
        "checkpoint metadata 'feature_names' must be a JSON array of strings; the key is missing"
      ),
      (
        "components", "{}",
        "checkpoint metadata 'components' must be a JSON array of strings; found '{}'"
      ),
      (
        "generator_state", #"["1","2","3"]"#,
        #"checkpoint metadata 'generator_state' must be a JSON array of 4 decimal strings (64-bit words, not all zero); found '["1","2","3"]'"#
      ),
      (
        "generator_state", #"["0","0","0","0"]"#,
        #"checkpoint metadata 'generator_state' must be a JSON array of 4 decimal strings (64-bit words, not all zero); found '["0","0","0","0"]'"#
      ),
      (
        "history", #"{"loss":"low"}"#,
        #"checkpoint metadata 'history' must be a JSON object of arrays of numbers (or null); found '{"loss":"low"}'"#
      ),
      (
        "preprocessing", "{mean: 1}",
        "checkpoint metadata 'preprocessing' must be JSON text (JSON: at byte 1: expected a string key, found 'm'); found '{mean: 1}'"
      ),
    ] as [(String, String?, String)])
  func reportsTheKeyAndWhatWasExpected(key: String, value: String?, message: String) {
    #expect(error(setting: key, to: value)?.message == message)
  }

  @Test func longValuesAreShortenedInMessages() {
    let long = String(repeating: "x", count: 100)
    #expect(
      error(setting: "epoch", to: long)?.message
        == "checkpoint metadata 'epoch' must be a non-negative integer; found '\(String(repeating: "x", count: 60))…'"
    )
  }
}
