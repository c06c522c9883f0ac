import Foundation
import NNCheckpoints
import NNDatasets
import NNPipeline
import NNProtocols
import Testing

/// Hostile checkpoints found while fuzzing the checkpoint readers (`FuzzSafetensors`, Fuzz/), kept
/// as tests.
@Suite("Checkpoint fuzz regressions")
struct CheckpointFuzzRegressionTests {
  /// A well-formed nnpipe checkpoint of a 1-2-1 network whose stored model text is `model`, written
  /// to a temporary file; returns its path.
  func checkpoint(model: String, dropping dropped: String? = nil) throws -> String {
    let tensors: [String: SafetensorsTensor] = [
      "layers.0.weight": SafetensorsTensor(shape: [2, 1], values: [0.5, -0.5], dtype: .f32),
      "layers.0.bias": SafetensorsTensor(shape: [2], values: [0, 0], dtype: .f32),
      "layers.1.weight": SafetensorsTensor(shape: [1, 2], values: [1, 1], dtype: .f32),
      "layers.1.bias": SafetensorsTensor(shape: [1], values: [0], dtype: .f32),
    ].filter { $0.key != dropped }
    let metadata = CheckpointMetadata(
      nnpipeVersion: nnpipeVersion, model: model,
      preprocessing: preprocessingJSON(
        features: Scaler(kind: .none, offset: [0], scale: [1]), targets: nil),
      featureNames: ["x"], components: ["dataset:sine", "layer:dense"])
    let path = NSTemporaryDirectory() + "checkpoint-fuzz-\(UUID().uuidString).safetensors"
    try Checkpoint(tensors: tensors, metadata: metadata).write(to: path)
    return path
  }

  /// Found by mutating a seed checkpoint's model text (`units=2` → `units=900000000`): `nnpipe
  /// predict` built the network the text describes before comparing it with the tensors, and a
  /// 2 KB file made it allocate until the machine ran out of memory (24 GB, killed). The text of
  /// this one asks for 2.7·10¹² parameters while the tensors hold 7 values.
  @Test func aModelTextAskingForMoreThanTheTensorsHoldIsRefusedBeforeAllocation() throws {
    let path = try checkpoint(
      model: "data sine\nlayer dense units=900000000000 activation=tanh\nlayer dense units=1\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = #expect(throws: InputError.self) {
      try TrainedModel(checkpointAt: path, registry: .standard())
    }
    #expect(error?.file == path)
    #expect(
      error?.message
        == "the model stored in the checkpoint has 2700000000001 parameters, but its tensors hold 7"
        + " values; the checkpoint is damaged")
  }

  @Test func aSmallDifferenceIsStillNamedTensorByTensor() throws {
    let model = "data sine\nlayer dense units=2 activation=tanh\nlayer dense units=1\n"
    let whole = try checkpoint(model: model)
    defer { try? FileManager.default.removeItem(atPath: whole) }
    let loaded = try TrainedModel(checkpointAt: whole, registry: .standard())
    #expect(loaded.predict(Matrix([[0.0]])).scalars == [0])

    let missing = try checkpoint(model: model, dropping: "layers.1.bias")
    defer { try? FileManager.default.removeItem(atPath: missing) }
    let error = #expect(throws: InputError.self) {
      try TrainedModel(checkpointAt: missing, registry: .standard())
    }
    #expect(error?.message == "tensor 'layers.1.bias' is missing; the model needs [1]")
  }
}
