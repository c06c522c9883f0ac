import NNProtocols

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if canImport(Glibc)
  private let systemRead = Glibc.read
#elseif canImport(Darwin)
  private let systemRead = Darwin.read
#endif

/// Reading a data file's bytes, with errors a user can act on.
///
/// Every reader (CSV, FANN, IDX) goes through here, so a missing file, a folder, an unreadable file and
/// a gzip-compressed file get the same messages everywhere.
public enum DataFile {
  /// `path` resolved against `baseDirectory` (the model file's folder) unless it is absolute.
  ///
  /// - Parameters:
  ///   - path: the path as the user wrote it; `~/` is expanded to the home folder.
  ///   - baseDirectory: the folder relative paths start from; empty means the current folder.
  public static func resolve(_ path: String, against baseDirectory: String) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/"), let home = getenv("HOME") {
      return String(cString: home) + path.dropFirst()
    }
    if baseDirectory.isEmpty || baseDirectory == "." { return path }
    return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
  }

  /// The whole content of the file at `path`.
  ///
  /// - Parameters:
  ///   - path: the file to read (already resolved).
  ///   - displayName: the name errors give the file (as the user wrote it). Default: `path`.
  /// - Throws: `InputError` when the file is missing, a folder, unreadable, or gzip-compressed.
  public static func read(_ path: String, displayName: String? = nil) throws -> [UInt8] {
    let name = displayName ?? path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw openError(errno, path: path, name: name) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw openError(errno, path: path, name: name) }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw openError(EISDIR, path: path, name: name) }
    let size = max(Int(status.st_size), 0)
    var failure: Int32 = 0
    var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
      initialized = readFully(descriptor, into: buffer.baseAddress, count: size, error: &failure)
    }
    // A pipe or a file that grows while it is read holds more than its size said: read on in chunks.
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while failure == 0 {
      let n = chunk.withUnsafeMutableBufferPointer {
        readFully(descriptor, into: $0.baseAddress, count: $0.count, error: &failure)
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    if failure != 0 { throw openError(failure, path: path, name: name) }
    try refuseGzip(bytes, file: name)
    return bytes
  }

  /// Throws when `bytes` start with the gzip magic number `1f 8b`: nnpipe reads uncompressed files
  /// only, and says how to decompress.
  public static func refuseGzip(_ bytes: [UInt8], file: String) throws {
    guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return }
    let decompressed = file.hasSuffix(".gz") ? String(file.dropLast(3)) : file + ".out"
    throw InputError(
      file: file,
      "the file is gzip-compressed (it starts with the bytes 1f 8b); nnpipe reads uncompressed files",
      hint: file.hasSuffix(".gz")
        ? "decompress it first: gunzip \(file)  (this writes \(decompressed))"
        : "decompress it first: gunzip -c \(file) > \(decompressed)")
  }

  /// Reads up to `count` bytes, retrying after interruptions; returns how many were read (fewer only
  /// at the end of the file) and sets `error` to `errno` on failure.
  private static func readFully(
    _ descriptor: Int32, into base: UnsafeMutablePointer<UInt8>?, count: Int, error: inout Int32
  ) -> Int {
    guard let base, count > 0 else { return 0 }
    var total = 0
    while total < count {
      let n = systemRead(descriptor, base + total, count - total)
      if n < 0 {
        if errno == EINTR { continue }
        error = errno
        return total
      }
      if n == 0 { break }
      total += n
    }
    return total
  }

  private static func openError(_ code: Int32, path: String, name: String) -> InputError {
    switch code {
    case ENOENT:
      return InputError(
        file: name, "no such file",
        hint: path == name
          ? "check the path" : "relative paths start from the model file's folder: \(path)")
    case EACCES: return InputError(file: name, "permission denied: the file cannot be read")
    case EISDIR: return InputError(file: name, "this is a folder; expected a data file")
    default:
      return InputError(file: name, "cannot read the file: \(String(cString: strerror(code)))")
    }
  }
}
