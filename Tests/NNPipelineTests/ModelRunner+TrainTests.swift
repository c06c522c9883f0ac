import Foundation
import NNCheckpoints
import NNModelLanguage
import NNProtocols
import Testing

@testable import NNPipeline

@Suite("ModelRunner.train: training in code")
struct ModelRunnerTrainTests {
  @Test("trains as nnpipe run does: the run's checkpoint predicts the same bits")
  func sameAsRun() throws {
    let description = try ModelDescriptionCodeTests.xor()
    let inCode = try ModelRunner().train(description)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("run.safetensors").path
    _ = try ModelRunner().run(description, options: RunOptions(checkpointPath: path))
    let run = try TrainedModel(checkpointAt: path, registry: .standard())

    let features = Matrix<Double>(rows: 4, cols: 2, scalars: [0, 0, 0, 1, 1, 0, 1, 1])
    #expect(inCode.predict(features).elementsEqual(run.predict(features)))
    #expect(inCode.trainingOutcome?.history.count == 500)
    #expect(inCode.checkpoint.tensors.keys.sorted() == run.checkpoint.tensors.keys.sorted())
  }

  @Test("data in memory: the same training as the generator's, the data named as a CSV file")
  func inMemory() throws {
    let description = try ModelDescriptionCodeTests.xor()
    let dataset = try ComponentRegistry.standard().makeDataset(
      description.data, context: DatasetContext(baseDirectory: ".", seed: 0))
    let fromMemory = try ModelRunner().train(description, on: dataset)
    let fromGenerator = try ModelRunner().train(description)
    #expect(
      fromMemory.predict(dataset.features).elementsEqual(fromGenerator.predict(dataset.features)))
    #expect(fromMemory.description.data.name == "csv")
    let cwd = ModelDescription.absoluteDirectory(FileManager.default.currentDirectoryPath)
    #expect(fromMemory.description.data.options["path"] == .text(cwd + "/\(dataset.name).csv"))
  }

  @Test("the checkpoint's metadata: model text, preprocessing, names, precision, components")
  func metadata() throws {
    let dataset = Dataset(
      name: "points", features: Matrix(rows: 4, cols: 1, scalars: [1, 2, 3, 4]),
      targets: Matrix(rows: 4, cols: 1, scalars: [2, 4, 6, 8]), featureNames: ["x"],
      targetNames: ["y"])
    let description = try ModelDescription(
      layers: [.dense(units: 1)], preprocessing: PreprocessSettings(features: .standardize),
      training: TrainingSettings(epochs: 3, batchSize: nil, precision: .double))
    let model = try ModelRunner().train(description, on: dataset)
    let metadata = model.checkpoint.metadata
    let parsed = try ModelParser(registry: .standard()).parse(
      metadata.model, path: nil, baseDirectory: FileManager.default.currentDirectoryPath)
    #expect(parsed == model.description)
    #expect(metadata.featureNames == ["x"])
    #expect(metadata.classNames == nil)
    #expect(metadata.precision == .double)
    #expect(metadata.epoch == 3)
    #expect(metadata.components.contains("layer:dense"))
    let (features, targets) = try preprocessingScalers(from: metadata.preprocessing, file: "test")
    #expect(features.kind == .standardize)
    #expect(features.offset == [2.5])
    #expect(targets == nil)
  }

  @Test("save refuses to replace a file that is not a checkpoint")
  func saveGuardsOtherFiles() throws {
    let model = try ModelRunner().train(try ModelDescriptionCodeTests.xor())
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-data-\(UUID().uuidString).csv"
    ).path
    try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: InputError.self) { try model.save(to: path) }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n1,2\n")
  }
}
