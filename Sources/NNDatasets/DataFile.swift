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

  /// The most bytes read from a pipe, a FIFO or a socket: the value of the environment variable
  /// `NNPIPE_MAX_INPUT_BYTES` when it is a positive whole number, else a quarter of this machine's
  /// memory, at most 8 GiB. A pipe that gives more is refused (it may never end).
  public static var streamLimit: Int {
    if let text = getenv("NNPIPE_MAX_INPUT_BYTES").map({ String(cString: $0) }),
      let bytes = Int(text), bytes > 0
    {
      return bytes
    }
    return min(physicalMemory / 4, 8 << 30)
  }

  /// The most bytes read from a character device (`/dev/stdin` on a terminal, `/dev/null`): 64 MiB,
  /// or `streamLimit` when that is smaller. A device that gives more (`/dev/zero`, `/dev/urandom`)
  /// does not end, and is refused after reading this much.
  public static var deviceLimit: Int { min(64 << 20, streamLimit) }

  /// This machine's memory in bytes (a regular file larger than it is refused before reading).
  static var physicalMemory: Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let pageSize = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, pageSize > 0 else { return Int.max }
    let (product, overflow) = pages.multipliedReportingOverflow(by: pageSize)
    return overflow ? Int.max : product
  }

  /// The whole content of the file at `path`.
  ///
  /// A regular file is read by its size (a file larger than this machine's memory is refused before
  /// anything is allocated). Anything else is read in chunks up to a limit, so that an input that never
  /// ends cannot exhaust memory: a pipe, FIFO or socket up to `streamLimit` bytes, a character device
  /// up to `deviceLimit` bytes; a block device is refused.
  ///
  /// - Parameters:
  ///   - path: the file to read (already resolved).
  ///   - displayName: the name errors give the file (as the user wrote it). Default: `path`.
  ///   - expected: what the file should be, for the message about a folder. Default `a data file`.
  /// - Throws: `InputError` naming the file and the real reason: missing, a folder, unreadable (the
  ///   system's message), too large, an input that does not end, or gzip-compressed.
  public static func read(
    _ path: String, displayName: String? = nil, expected: String = "a data file"
  ) throws -> [UInt8] {
    let name = displayName ?? path
    // Opening a FIFO waits for a program to write to it, as `cat` does (a signal ends the wait).
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw openError(errno, path: path, name: name, expected: expected)
    }
    defer { close(descriptor) }
    return try read(descriptor: descriptor, name: name, path: path, expected: expected)
  }

  /// The whole of standard input (`-` on a command line), named `<stdin>` in errors; read like a pipe
  /// or a file, whichever it is (see `read(_:displayName:expected:)`).
  public static func readStandardInput(expected: String = "a data file") throws -> [UInt8] {
    try read(descriptor: 0, name: standardInputName, path: standardInputName, expected: expected)
  }

  /// The name errors give standard input.
  public static let standardInputName = "<stdin>"

  /// Reads an open descriptor to its end, by its kind (see `read(_:displayName:expected:)`).
  private static func read(descriptor: Int32, name: String, path: String, expected: String) throws
    -> [UInt8]
  {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw openError(errno, path: path, name: name, expected: expected)
    }
    let kind = status.st_mode & S_IFMT
    if kind == S_IFDIR { throw openError(EISDIR, path: path, name: name, expected: expected) }
    if kind == S_IFBLK {
      throw InputError(
        file: name,
        "this is a block device (a disk); expected \(expected): a regular file or a pipe")
    }
    var failure: Int32 = 0
    var bytes: [UInt8]
    let limit: Int
    if kind == S_IFREG {
      let size = max(Int(status.st_size), 0)
      guard size <= physicalMemory else {
        throw InputError(
          file: name,
          "the file is \(formatByteCount(size)), more than this machine's memory"
            + " (\(formatByteCount(physicalMemory)))")
      }
      bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        initialized = readFully(descriptor, into: buffer.baseAddress, count: size, error: &failure)
      }
      // A file that grows while it is read (or a /proc file of size 0) holds more than its size
      // said: read on, up to the pipe limit.
      limit = max(streamLimit, size)
    } else {
      bytes = []
      limit = kind == S_IFCHR ? deviceLimit : streamLimit
    }
    if failure == 0 {
      bytes = try readRest(
        descriptor, after: bytes, limit: limit, error: &failure,
        tooLong: tooLongError(kind: kind, limit: limit, name: name, expected: expected))
    }
    if failure != 0 { throw openError(failure, path: path, name: name, expected: expected) }
    try refuseGzip(bytes, file: name)
    return bytes
  }

  /// `first` followed by the rest of `descriptor`, read in chunks; throws `tooLong` once more than
  /// `limit` bytes in all have come. The chunks are joined once at the end (memory stays within twice
  /// the content).
  private static func readRest(
    _ descriptor: Int32, after first: [UInt8], limit: Int, error: inout Int32, tooLong: InputError
  ) throws -> [UInt8] {
    var chunks: [[UInt8]] = []
    var total = first.count
    let chunkSize = 1 << 20
    while error == 0 {
      var failure: Int32 = 0
      let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
        initialized = readFully(
          descriptor, into: buffer.baseAddress, count: chunkSize, error: &failure)
      }
      error = failure
      if chunk.isEmpty { break }
      total += chunk.count
      if total > limit { throw tooLong }
      chunks.append(chunk)
      if chunk.count < chunkSize { break }  // the end (or a failure, in `error`)
    }
    guard !chunks.isEmpty else { return first }
    var bytes = first
    bytes.reserveCapacity(total)
    for chunk in chunks { bytes += chunk }
    return bytes
  }

  /// The error for an input that gave more than `limit` bytes.
  private static func tooLongError(kind: mode_t, limit: Int, name: String, expected: String)
    -> InputError
  {
    let amount = formatByteCount(limit)
    switch kind {
    case S_IFCHR:
      return InputError(
        file: name,
        "this is a character device that does not end (it gave more than \(amount)); expected"
          + " \(expected): a regular file or a pipe that ends")
    case S_IFREG:
      return InputError(
        file: name, "the file grew past \(amount) while it was read; expected a file that ends")
    default:
      return InputError(
        file: name,
        "this pipe gave more than \(amount) without ending; nnpipe reads at most \(amount) from a"
          + " pipe or FIFO",
        hint: "save the data to a regular file, or raise the limit with NNPIPE_MAX_INPUT_BYTES=N")
    }
  }

  /// `bytes` in the largest binary unit that keeps it ≥ 1: `512 bytes`, `64 MiB`, `1.5 GiB`.
  static func formatByteCount(_ bytes: Int) -> String {
    let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    guard bytes >= 1024 else { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    let rounded = (value * 10).rounded() / 10
    let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    return "\(text) \(units[unit])"
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

  /// The error for a file that cannot be opened or read: the system's reason, in words for the
  /// common ones.
  private static func openError(_ code: Int32, path: String, name: String, expected: String)
    -> InputError
  {
    switch code {
    case ENOENT:
      return InputError(
        file: name, "no such file",
        hint: path == name
          ? "check the path" : "relative paths start from the model file's folder: \(path)")
    case EACCES: return InputError(file: name, "permission denied: the file cannot be read")
    case EISDIR: return InputError(file: name, "this is a folder; expected \(expected)")
    default:
      return InputError(file: name, "cannot read the file: \(String(cString: strerror(code)))")
    }
  }
}
