import Foundation

/// A fresh, empty folder under the system's temporary folder, removed with everything in it when
/// the value is released.
///
/// ```swift
/// let folder = try TemporaryFolder()
/// let path = try folder.write("data.csv", "x,y\n1,2\n")
/// ```
public final class TemporaryFolder {
  /// The folder's path.
  public let path: String

  /// Creates the folder, named `<prefix>-<UUID>`.
  public init(prefix: String = "nnpipe-tests") throws {
    path = (NSTemporaryDirectory() as NSString).appendingPathComponent(
      prefix + "-" + UUID().uuidString)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// The folder as a file URL.
  public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

  /// The path of `name` inside the folder (the file need not exist).
  public func file(_ name: String) -> String { path + "/" + name }

  /// Writes `bytes` to `name` in the folder and returns the file's full path.
  @discardableResult
  public func write(_ name: String, bytes: [UInt8]) throws -> String {
    let file = file(name)
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }

  /// Writes `text` (UTF-8) to `name` in the folder and returns the file's full path.
  @discardableResult
  public func write(_ name: String, _ text: String) throws -> String {
    try write(name, bytes: Array(text.utf8))
  }
}
