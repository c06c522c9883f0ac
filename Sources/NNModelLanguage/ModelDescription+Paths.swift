import Foundation

extension ModelDescription {
  /// `path` made absolute: kept if it starts with `/`, else joined to `base`; `.` and `..` components
  /// are removed lexically (`/models/../data/x.csv` → `/data/x.csv`). An empty path stays empty.
  ///
  /// - Parameters:
  ///   - path: a path as written in a model file.
  ///   - base: an absolute folder (a relative one is taken from the current directory).
  public static func absolutePath(_ path: String, base: String) -> String {
    if path.isEmpty { return "" }
    if path.hasPrefix("/") { return normalizedPath(path) }
    return normalizedPath(absoluteDirectory(base) + "/" + path)
  }

  /// `path` relative to `base` when they share more than the root (`/a/b/x.csv` from `/a/c` is
  /// `../b/x.csv`), else `path` unchanged. The inverse of `absolutePath(_:base:)`.
  public static func relativePath(_ path: String, base: String) -> String {
    guard path.hasPrefix("/") else { return path }
    let target = components(of: normalizedPath(path))
    let from = components(of: absoluteDirectory(base))
    var common = 0
    while common < target.count, common < from.count, target[common] == from[common] {
      common += 1
    }
    guard common > 0 else { return normalizedPath(path) }
    let parts = Array(repeating: "..", count: from.count - common) + target[common...]
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }

  /// `directory` as an absolute, normalized path (relative to the current directory if needed).
  public static func absoluteDirectory(_ directory: String) -> String {
    if directory.hasPrefix("/") { return normalizedPath(directory) }
    let current = FileManager.default.currentDirectoryPath
    return normalizedPath(directory.isEmpty ? current : current + "/" + directory)
  }

  /// An absolute path with `.`, `..` and repeated or trailing slashes removed.
  static func normalizedPath(_ path: String) -> String {
    var parts: [Substring] = []
    for part in components(of: path) {
      switch part {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  private static func components(of path: String) -> [Substring] {
    path.split(separator: "/", omittingEmptySubsequences: true)
  }
}
