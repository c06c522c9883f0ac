import Foundation
import NNModelLanguage
import NNPipeline
import NNProtocols
import Testing

/// `ModelParser.parse(fileAt:)`: a model file read from disk, through the data files' reader.
@Suite struct ModelParserFileTests {
  let parser = ModelParser(registry: .standard())

  let sine = """
    data sine
    layer dense units=20 activation=sigmoid init=normal(std=0.2) bias_init=normal(std=0.2)
    layer dense units=1 init=normal(std=0.2) bias_init=normal(std=0.2)
    loss half_mse
    optimizer sgd lr=0.1
    train epochs=2000 batch=full precision=double
    """

  @Test("a file is read from disk; its folder is the base of relative paths")
  func fileOnDisk() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-parser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("sine.txt").path
    try (sine + "\noutput plot_fit=fit.svg\n").write(
      toFile: file, atomically: true, encoding: .utf8)
    let model = try parser.parse(fileAt: file)
    #expect(model.sourcePath == file)
    #expect(model.outputs.plotFit == ModelDescription.absolutePath("fit.svg", base: folder.path))
    #expect(model.training.epochs == 2000)
  }

  @Test("a file that cannot be read is an input error naming it")
  func unreadableFile() {
    #expect {
      _ = try parser.parse(fileAt: "/nonexistent/model.txt")
    } throws: { error in
      let errors = (error as? InputErrors)?.errors ?? []
      return errors.map(\.file) == ["/nonexistent/model.txt"]
        && errors.map(\.message) == ["cannot read the model file: no such file"]
    }
    #expect {
      _ = try parser.parse(fileAt: FileManager.default.temporaryDirectory.path)
    } throws: { error in
      (error as? InputErrors)?.errors.first?.message
        == "cannot read the model file: this is a folder; expected a model file"
    }
  }
}
