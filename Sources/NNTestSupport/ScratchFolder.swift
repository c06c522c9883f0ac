import Foundation

/// A fresh folder under the system's temporary folder, removed by `remove()`; shared by the
/// checkpoint, safetensors, output guard and plot tests.
public struct ScratchFolder {
  /// The folder's path.
  public let path: String

  /// Creates the folder.
  public init() throws {
    path = NSTemporaryDirectory() + "/nnpipe-ckpt-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// The path of `name` inside the folder.
  public func file(_ name: String) -> String { path + "/" + name }

  /// The names of everything in the folder, sorted.
  public func contents() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }

  /// Removes the folder and everything in it.
  public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
