import Foundation
import NNDatasets
import NNModelLanguage
import NNProtocols

// Reading a model file is input, not language: `DataFile` (NNDatasets) reads the bytes with the same
// messages as every data file, so this part of the parser lives with the orchestration and the model
// language itself needs nothing but `NNProtocols`.
extension ModelParser {
  /// Reads the model file at `path`; relative paths inside it are resolved against its folder.
  ///
  /// - Parameters:
  ///   - path: the file, as the user named it (errors repeat it).
  ///   - overrides: `--set` arguments, e.g. `optimizer.lr=0.05` (see `parse(_:path:baseDirectory:overrides:)`).
  /// - Throws: every problem found, including a file that cannot be read (with the system's reason;
  ///   an input that does not end is refused as `DataFile.read` does) or that is not text (the first
  ///   byte that is not UTF-8, or a NUL byte, at its line and column).
  public func parse(fileAt path: String, overrides: [String] = []) throws(InputErrors)
    -> ModelDescription
  {
    let text: String
    do {
      let bytes = try DataFile.read(path, expected: "a model file")
      text = try Self.text(of: bytes, file: path)
    } catch var error as InputError {
      if error.line == nil { error.message = "cannot read the model file: " + error.message }
      throw InputErrors([error])
    } catch {
      throw InputErrors([InputError(file: path, "cannot read the model file: \(error)")])
    }
    let folder = (path as NSString).deletingLastPathComponent
    return try parse(
      text, path: path, baseDirectory: ModelDescription.absoluteDirectory(folder),
      overrides: overrides)
  }
}
