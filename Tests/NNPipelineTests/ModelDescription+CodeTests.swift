import Foundation
import NNCheckpoints
import NNModelLanguage
import NNProtocols
import Testing

@testable import NNPipeline

@Suite("ModelDescription built in code")
struct ModelDescriptionCodeTests {
  /// XOR as a code description: two dense layers, a loss, an optimizer, full-batch training.
  static func xor() throws -> ModelDescription {
    try ModelDescription(
      data: .data("xor", ["classes": true]),
      layers: [.dense(units: 4, activation: "tanh"), .dense(units: 1, activation: "sigmoid")],
      loss: .loss("binary_cross_entropy"), optimizer: .optimizer("adam", ["lr": 0.05]),
      training: TrainingSettings(epochs: 500, batchSize: nil))
  }

  /// The same model, written as a model file.
  static let xorText = """
    data xor classes=true
    layer dense units=4 activation=tanh
    layer dense units=1 activation=sigmoid
    loss binary_cross_entropy
    optimizer adam lr=0.05
    train epochs=500 batch=full
    """

  static func parse(_ text: String) throws -> ModelDescription {
    try ModelParser(registry: .standard()).parse(
      text, path: nil, baseDirectory: FileManager.default.currentDirectoryPath)
  }

  @Test("equals the model file written by hand, every default filled in")
  func equalsTheFile() throws {
    let description = try Self.xor()
    #expect(description == (try Self.parse(Self.xorText)))
    #expect(
      description.layers[0].options["init"]
        == .component(
          ComponentReference(
            kind: .initializer, name: "glorot_uniform")))
  }

  @Test("its text reads back as the same description")
  func textRoundTrips() throws {
    let description = try Self.xor()
    let text = description.text()
    #expect(text.contains("layer dense units=4 activation=tanh bias=true"))
    #expect(text.contains("optimizer adam lr=0.05 beta1=0.9"))
    #expect(try Self.parse(text) == description)
  }

  @Test("nested options, whole numbers for reals and relative paths are resolved")
  func resolution() throws {
    let description = try ModelDescription(
      data: .data("csv", ["path": "iris.csv"]),
      layers: [.dense(units: 3, activation: .activation("leaky_relu", ["slope": 0.2]))],
      optimizer: .optimizer("sgd", ["lr": 1]))
    guard case .component(let activation)? = description.layers[0].options["activation"] else {
      Issue.record("the activation is not a component")
      return
    }
    #expect(activation.name == "leaky_relu")
    #expect(activation.options["slope"] == .real(0.2))
    #expect(description.optimizer?.options["lr"] == .real(1))
    let cwd = ModelDescription.absoluteDirectory(FileManager.default.currentDirectoryPath)
    #expect(description.data.options["path"] == .text(cwd + "/iris.csv"))
  }

  @Test(
    "a mistake is an InputError naming the statement",
    arguments: [
      (
        [ComponentReference.dense(units: 4, activation: "tanhh")], nil as ComponentReference?,
        "layers.0: unknown activation 'tanhh'; did you mean 'tanh'?"
      ),
      (
        [.dense(units: 1)], .optimizer("adam", ["lr": -1]),
        "optimizer: optimizer 'adam' option 'lr': expected a real number > 0, got -1"
      ),
      ([.layer("dense", ["unit": 4])], nil, "layers.0: unknown option 'unit' for layer 'dense'"),
      ([], nil, "a model needs at least one layer"),
    ])
  func mistakes(layers: [ComponentReference], optimizer: ComponentReference?, message: String) {
    #expect {
      try ModelDescription(layers: layers, optimizer: optimizer)
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.message.hasPrefix(message)
    }
  }
}
