import NNProtocols
import NNTraining
import Testing

@testable import NNCheckpoints

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
        "checkpoint metadata 'epoch' must be an integer from 0 to 2^53 (9007199254740992); the key is missing"
      ),
      (
        "epoch", "-1",
        "checkpoint metadata 'epoch' must be an integer from 0 to 2^53 (9007199254740992); found '-1'"
      ),
      (
        "optimizer_step", "1.5",
        "checkpoint metadata 'optimizer_step' must be an integer from 0 to 2^53 (9007199254740992); found '1.5'"
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
        "epoch", "9223372036854775807",
        "checkpoint metadata 'epoch' must be an integer from 0 to 2^53 (9007199254740992); found '9223372036854775807'"
      ),
      (
        "optimizer_step", "9223372036854775807",
        "checkpoint metadata 'optimizer_step' must be an integer from 0 to 2^53 (9007199254740992); found '9223372036854775807'"
      ),
      (
        "resume_batch", "-3",
        "checkpoint metadata 'resume_batch' must be an integer from 0 to 2^53 (9007199254740992); found '-3'"
      ),
      (
        "resume_batch", "9223372036854775807",
        "checkpoint metadata 'resume_batch' must be an integer from 0 to 2^53 (9007199254740992); found '9223372036854775807'"
      ),
      (
        "resume_loss_sum", "nan",
        "checkpoint metadata 'resume_loss_sum' must be a finite number (the interrupted epoch's loss sum), given with resume_batch; found 'nan'"
      ),
      (
        "resume_loss_sum", nil,
        "checkpoint metadata 'resume_loss_sum' must be a finite number (the interrupted epoch's loss sum), given with resume_batch; the key is missing"
      ),
      (
        "layer_generator_states", #"{"layers.1":["0","0","0","0"]}"#,
        #"checkpoint metadata 'layer_generator_states' must be a JSON object of layer paths (layers.N), each an array of 4 decimal strings (not all zero); found '{"layers.1":["0","0","0","0"]}'"#
      ),
      (
        "layer_generator_states", #"{"dropout":["1","2","3","4"]}"#,
        #"checkpoint metadata 'layer_generator_states' must be a JSON object of layer paths (layers.N), each an array of 4 decimal strings (not all zero); found '{"dropout":["1","2","3","4"]}'"#
      ),
      (
        "early_stopping_best_loss", "nan",
        "checkpoint metadata 'early_stopping_best_loss' must be a number or inf (the best monitored loss), not NaN; found 'nan'"
      ),
      (
        "early_stopping_best_epoch", "13",
        "checkpoint metadata 'early_stopping_best_epoch' must be at most the epochs completed (12); found '13'"
      ),
      (
        "early_stopping_epochs_without_improvement", nil,
        "checkpoint metadata 'early_stopping_epochs_without_improvement' must be an integer from 0 to 2^53 (9007199254740992); the key is missing"
      ),
      (
        "history_layout", #"{"loss":{"epochs":13,"epochs_per_bucket":1}}"#,
        #"checkpoint metadata 'history_layout' must be a JSON object of series names, each {"epochs": N, "epochs_per_bucket": K} with N at most the epochs completed and K a power of two; found '{"loss":{"epochs":13,"epochs_per_bucket":1}}'"#
      ),
      (
        "history_layout", #"{"loss":{"epochs":12,"epochs_per_bucket":3}}"#,
        #"checkpoint metadata 'history_layout' must be a JSON object of series names, each {"epochs": N, "epochs_per_bucket": K} with N at most the epochs completed and K a power of two; found '{"loss":{"epochs":12,"epochs_per_bucket":3}}'"#
      ),
      (
        "preprocessing", "{mean: 1}",
        "checkpoint metadata 'preprocessing' must be JSON text (JSON: at byte 1: expected a string key, found 'm'); found '{mean: 1}'"
      ),
    ] as [(String, String?, String)])
  func reportsTheKeyAndWhatWasExpected(key: String, value: String?, message: String) {
    var strings = Self.withResumeState.strings
    strings[key] = value
    let problem = #expect(throws: InputError.self) {
      try CheckpointMetadata(strings: strings, file: "run.safetensors")
    }
    #expect(problem?.file == "run.safetensors")
    #expect(problem?.message == message)
  }

  /// `full` with every piece of resume state set.
  static let withResumeState: CheckpointMetadata = {
    var metadata = full
    metadata.resumeBatch = 3
    metadata.resumeLossSum = 0.1 + 0.2
    metadata.layerGeneratorStates = ["layers.1": [5, 6, 7, .max]]
    metadata.earlyStopping = EarlyStoppingState(
      bestLoss: 0.125, bestEpoch: 9, epochsWithoutImprovement: 3)
    metadata.historyLayout = ["loss": .init(epochs: 12, epochsPerBucket: 1)]
    return metadata
  }()

  @Test func resumeStateRoundTripsExactly() throws {
    let strings = Self.withResumeState.strings
    #expect(strings["resume_batch"] == "3")
    #expect(strings["resume_loss_sum"] == "0.30000000000000004")
    #expect(
      strings["layer_generator_states"] == #"{"layers.1":["5","6","7","18446744073709551615"]}"#)
    #expect(strings["early_stopping_best_loss"] == "0.125")
    #expect(strings["history_layout"] == #"{"loss":{"epochs":12,"epochs_per_bucket":1}}"#)
    let read = try CheckpointMetadata(strings: strings, file: "x")
    #expect(read == Self.withResumeState)
    #expect(read.additional.isEmpty == false && read.additional["resume_batch"] == nil)
    var before = Self.withResumeState
    before.earlyStopping = EarlyStoppingState()
    #expect(
      try CheckpointMetadata(strings: before.strings, file: "x").earlyStopping?.bestLoss
        == .infinity)
  }

  @Test func theLargestCountsLeaveRoomForArithmetic() throws {
    var strings = Self.full.strings
    strings["epoch"] = String(CheckpointMetadata.maximumCount)
    strings["optimizer_step"] = String(CheckpointMetadata.maximumCount)
    let read = try CheckpointMetadata(strings: strings, file: "x")
    #expect(read.epoch.addingReportingOverflow(Int.max / 2).overflow == false)
    #expect(read.optimizerStep == 1 << 53)
  }

  @Test func longValuesAreShortenedInMessages() {
    let long = String(repeating: "x", count: 100)
    #expect(
      error(setting: "epoch", to: long)?.message
        == "checkpoint metadata 'epoch' must be an integer from 0 to 2^53 (9007199254740992); found '\(String(repeating: "x", count: 60))…'"
    )
  }
}
