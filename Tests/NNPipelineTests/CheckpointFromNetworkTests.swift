import Foundation
import NNCheckpoints
import NNLayers
import NNModelLanguage
import NNOptimizers
import NNProtocols
import NNTraining
import Testing

@testable import NNPipeline

@Suite("Checkpoint(trainedNetwork:) — a network trained by your own code")
struct CheckpointFromNetworkTests {
  static var xor: Dataset {
    Dataset(
      name: "xor", features: Matrix(rows: 4, cols: 2, scalars: [0, 0, 0, 1, 1, 0, 1, 1]),
      targets: Matrix(rows: 4, cols: 1, scalars: [0, 1, 1, 0]), featureNames: ["a", "b"],
      classNames: ["false", "true"])
  }

  static func description(hidden: Int = 4) throws -> ModelDescription {
    try ModelDescription(
      layers: [.dense(units: hidden, activation: "tanh"), .dense(units: 1, activation: "sigmoid")],
      loss: .loss("binary_cross_entropy"), optimizer: .optimizer("adam", ["lr": 0.05]))
  }

  /// A network built from the layers' builders and trained with `Trainer`, outside `ModelRunner`.
  static func trainedNetwork() throws -> Network<Float> {
    let registry = ComponentRegistry.standard()
    let description = try description()  // its references are resolved: options complete
    let builders = try description.layers.map { try registry.makeLayer($0) }
    var generator = SeededGenerator(seed: 7)
    let network = try Network<Float>(builders: builders, inputSize: 2, generator: &generator)
    let trainer = try Trainer(
      network: network, loss: try registry.makeLoss(description.loss!),
      updater: ParameterUpdater(optimizer: try registry.makeOptimizer(description.optimizer!)),
      generator: generator)
    let data = LabeledData(
      features: xor.features.converted(to: Float.self),
      targets: xor.targets.converted(to: Float.self))
    _ = try trainer.fit(data, plan: TrainingPlan(epochs: 300))
    return network
  }

  @Test("nnpipe's loader reads it and predicts the network's outputs, bit for bit")
  func loads() throws {
    let network = try Self.trainedNetwork()
    let checkpoint = try Checkpoint(
      trainedNetwork: network, description: try Self.description(), dataset: Self.xor)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-network-\(UUID().uuidString).safetensors"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try checkpoint.write(to: path)

    let loaded = try TrainedModel(checkpointAt: path, registry: .standard())
    let outputs = network.predict(Self.xor.features.converted(to: Float.self))
    #expect(loaded.predict(Self.xor.features).elementsEqual(outputs.converted(to: Double.self)))
    #expect(loaded.classNames == ["false", "true"])
    #expect(loaded.featureNames == ["a", "b"])
    #expect(checkpoint.metadata.precision == .float)
    #expect(checkpoint.metadata.components.contains("activation:tanh"))
  }

  @Test("a description of other layers is refused, naming the first parameter that differs")
  func mismatch() throws {
    let network = try Self.trainedNetwork()
    #expect {
      try Checkpoint(
        trainedNetwork: network, description: try Self.description(hidden: 5), dataset: Self.xor)
    } throws: { error in
      (error as? InputError)?.message
        == "the network does not match the description: the description builds "
        + "layers.0.weight [5, 2], the network has layers.0.weight [4, 2]"
    }
  }

  @Test("scaling in the description is refused: the network saw the data unscaled")
  func scaling() throws {
    var description = try Self.description()
    description.preprocessing.features = .standardize
    #expect(throws: InputError.self) {
      try Checkpoint(
        trainedNetwork: try Self.trainedNetwork(), description: description, dataset: Self.xor)
    }
  }
}
