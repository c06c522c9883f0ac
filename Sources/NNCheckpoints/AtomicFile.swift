import NNProtocols

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Replaces files atomically: a reader (or a crash, or `kill -9`) sees either the old file or the
/// complete new one, never a partial file.
///
/// The recipe:
/// 1. write the new contents to a temporary file in the target's folder (same file system, so the
///    rename below is atomic), with the old file's permissions;
/// 2. `fsync` it, so its bytes are on disk before its name is;
/// 3. `rename` it over the target, which atomically swaps the name to the new file;
/// 4. `fsync` the folder, so the new name itself survives a power cut.
///
/// On any error before step 3 the temporary file is removed and the old file is untouched. A process
/// killed during steps 1–2 may leave a temporary file named `.<name>.tmp-<pid>-<random>` beside the
/// target; the target itself is always whole. A symbolic link at the target is replaced by the file.
///
/// Temporary names always fit: a name too long to take the `.` and `.tmp-<pid>-<random>` around it
/// (a legal 252-byte name would make a 277-byte one) is cut to the bytes that fit the folder's limit
/// (`NAME_MAX`, usually 255), at a character boundary.
///
/// Stray temporary files are cleaned on the next write to the same target: before it creates its own,
/// a write removes the temporary files of that target (same name pattern) whose process is gone
/// (`kill(pid, 0)` fails with `ESRCH`), or that were last modified more than a day ago (a process id
/// reused by another program after a restart). A live process's temporary file is never removed: a
/// write takes seconds, not a day. (Process ids are per machine and per PID namespace: on a folder
/// shared between machines or containers, another writer's file may look orphaned; its write then
/// fails with an error and its target stays whole.)
///
/// A path that is empty or ends with `/` is an `InputError`, never a crash.
public enum AtomicFile {
  /// A failure to write a file (a full disk, a missing or read-only folder): a runtime failure, not a
  /// mistake in the user's input.
  public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file that was to be written.
    public var path: String
    /// What failed, with the system's reason.
    public var reason: String

    /// A write error for `path`.
    public init(path: String, reason: String) {
      self.path = path
      self.reason = reason
    }

    /// `path: error: reason`.
    public var description: String { "\(path): error: \(reason)" }
  }

  /// Where the contents of a file being written go: an open temporary file.
  public struct Output {
    let descriptor: Int32
    let temporaryPath: String
    let targetPath: String

    /// Appends `bytes` to the file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
      var written = 0
      while written < bytes.count {
        let result = systemWrite(descriptor, bytes.baseAddress! + written, bytes.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          throw WriteError(
            path: targetPath,
            reason: "cannot write the temporary file '\(temporaryPath)': \(systemMessage())")
        }
        written += result
      }
    }

    /// Appends `bytes` to the file.
    public func write(_ bytes: [UInt8]) throws {
      try bytes.withUnsafeBytes { raw in try write(raw) }
    }

    /// Appends the UTF-8 bytes of `text` to the file.
    public func write(_ text: String) throws {
      try write(Array(text.utf8))
    }
  }

  /// Replaces `path` with `bytes`, atomically (see the type's description).
  ///
  /// - Throws: `WriteError` naming the step that failed; the old file is then untouched.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try write(to: path) { output in try output.write(bytes) }
  }

  /// Replaces `path` with what `produce` writes to its `Output`, atomically.
  ///
  /// If `produce` throws, the temporary file is removed, the old file is untouched, and the error is
  /// rethrown as it is.
  public static func write(to path: String, _ produce: (Output) throws -> Void) throws {
    guard !path.isEmpty else {
      throw InputError("the output path is empty", hint: "give the name of a file to write")
    }
    let (folder, name) = split(path)
    guard !name.isEmpty else {
      throw InputError(file: path, "names a folder, not a file", hint: "add a file name")
    }
    removeStrayTemporaries(of: path)
    let temporaryPath = temporaryPath(for: path)

    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw WriteError(
        path: path, reason: "cannot create a temporary file in '\(folder)': \(systemMessage())")
    }
    // Give the new file the old one's permissions (the creation mode above is reduced by the umask).
    var old = stat()
    if stat(path, &old) == 0, old.st_mode & S_IFMT == S_IFREG {
      _ = fchmod(descriptor, old.st_mode & 0o7777)
    }

    func abandon() {
      close(descriptor)
      unlink(temporaryPath)
    }
    do {
      try produce(Output(descriptor: descriptor, temporaryPath: temporaryPath, targetPath: path))
    } catch {
      abandon()
      throw error
    }
    guard fsync(descriptor) == 0 else {
      let message = systemMessage()
      abandon()
      throw WriteError(path: path, reason: "cannot flush '\(temporaryPath)' to disk: \(message)")
    }
    guard close(descriptor) == 0 else {
      let message = systemMessage()
      unlink(temporaryPath)
      throw WriteError(path: path, reason: "cannot close '\(temporaryPath)': \(message)")
    }
    guard rename(temporaryPath, path) == 0 else {
      let message = systemMessage()
      unlink(temporaryPath)
      throw WriteError(path: path, reason: "cannot replace the file: \(message)")
    }
    // Make the rename itself durable. Best effort: some file systems cannot sync a folder, and the
    // new file is already in place either way.
    let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderDescriptor >= 0 {
      _ = fsync(folderDescriptor)
      close(folderDescriptor)
    }
  }

  /// The longest file name the folder `folder` allows (`NAME_MAX`; 255 if the system does not say).
  package static func nameMax(_ folder: String) -> Int {
    let limit = pathconf(folder, Int32(_PC_NAME_MAX))
    return limit > 0 ? Int(limit) : 255
  }

  /// `.<name>.tmp-`: how the temporary files of the target `name` begin, `name` cut (at a character
  /// boundary) so that the whole temporary name, `.tmp-`, a 10-digit pid, `-` and 8 hex digits
  /// included, fits in `nameMax` bytes.
  static func temporaryPrefix(for name: String, nameMax: Int) -> String {
    let budget = max(0, nameMax - 25)
    var kept = ""
    var bytes = 0
    for scalar in name.unicodeScalars {
      let size = String(scalar).utf8.count
      if bytes + size > budget { break }
      kept.unicodeScalars.append(scalar)
      bytes += size
    }
    return "." + kept + ".tmp-"
  }

  /// A fresh temporary path beside `path` for this process: `.<name>.tmp-<pid>-<random>`.
  package static func temporaryPath(for path: String) -> String {
    let (folder, name) = split(path)
    return folder + "/" + temporaryPrefix(for: name, nameMax: nameMax(folder)) + "\(getpid())-"
      + String(UInt32.random(in: .min ... .max), radix: 16)
  }

  /// Removes the temporary files of `path` that writes killed before they finished left behind:
  /// those whose process is gone, or untouched for more than `maximumAge` seconds; never this
  /// process's, never a live process's younger file, never anything but a regular file. Best effort:
  /// errors are ignored.
  static func removeStrayTemporaries(of path: String, maximumAge: Int = 86_400) {
    let (folder, name) = split(path)
    let prefix = temporaryPrefix(for: name, nameMax: nameMax(folder))
    guard let directory = opendir(folder) else { return }
    defer { closedir(directory) }
    let now = time(nil)
    while let entry = readdir(directory) {
      let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard entryName.hasPrefix(prefix) else { continue }
      let parts = entryName.dropFirst(prefix.count).split(separator: "-")
      guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, pid != getpid(),
        UInt32(parts[1], radix: 16) != nil
      else { continue }
      let candidate = folder + "/" + entryName
      var info = stat()
      guard lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
      let processGone = kill(pid, 0) != 0 && errno == ESRCH
      #if canImport(Darwin)
        let modified = Int(info.st_mtimespec.tv_sec)
      #else
        let modified = Int(info.st_mtim.tv_sec)
      #endif
      let old = Int(now) - modified > maximumAge
      if processGone || old { unlink(candidate) }
    }
  }

  /// Whether anything (a file, a folder, a link, even a broken one) exists at `path`.
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// The folder (`"."` when `path` has none) and the file name of `path`.
  package static func split(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let folder = String(path[..<slash])
    return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
  }

  /// The system's message for the current `errno`.
  package static func systemMessage() -> String {
    String(cString: strerror(errno))
  }

  /// Reads the whole file at `path`.
  ///
  /// - Parameter limit: refuse files larger than this many bytes.
  /// - Throws: `InputError` naming the file and the system's reason (missing, a folder, unreadable).
  static func readBytes(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
    let descriptor = try openForReading(path)
    defer { close(descriptor) }
    let byteCount = try size(of: descriptor, path: path)
    guard byteCount <= limit else {
      throw InputError(
        file: path, "the file is \(byteCount) bytes, more than the \(limit)-byte limit")
    }
    return try readUpTo(descriptor, count: byteCount, path: path)
  }

  /// Calls `body` with `path` open for reading, and closes it after.
  static func withFile<T>(_ path: String, _ body: (Int32) throws -> T) throws -> T {
    let descriptor = try openForReading(path)
    defer { close(descriptor) }
    return try body(descriptor)
  }

  /// Opens `path` for reading, or throws `InputError` with the system's reason.
  ///
  /// Opened without blocking (a FIFO with no writer would otherwise wait forever), then set back to
  /// blocking reads; `size(of:path:)` then refuses anything but a regular file.
  static func openForReading(_ path: String) throws -> Int32 {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw InputError(file: path, "cannot open the file: \(systemMessage())")
    }
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    return descriptor
  }

  /// Reads up to `count` bytes from `descriptor`; fewer only at the end of the file.
  package static func readUpTo(_ descriptor: Int32, count: Int, path: String) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let result = bytes.withUnsafeMutableBytes { raw in
        systemRead(descriptor, raw.baseAddress! + filled, count - filled)
      }
      if result < 0 {
        if errno == EINTR { continue }
        throw InputError(file: path, "cannot read the file: \(systemMessage())")
      }
      if result == 0 { break }
      filled += result
    }
    bytes.removeLast(count - filled)
    return bytes
  }

  /// The size in bytes of the open file `descriptor`.
  static func size(of descriptor: Int32, path: String) throws -> Int {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw InputError(file: path, "cannot read the file: \(systemMessage())")
    }
    let kind = info.st_mode & S_IFMT
    guard kind != S_IFDIR else {
      throw InputError(file: path, "is a folder, not a file")
    }
    // A device or a pipe has no size to read by (`/dev/zero` reports 0 bytes and never ends).
    guard kind == S_IFREG else {
      let what =
        switch kind {
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a pipe (FIFO)"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
      throw InputError(
        file: path, "is \(what); expected a regular file (a checkpoint is read by its size)")
    }
    return Int(info.st_size)
  }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int)
  -> Int
{
  read(descriptor, buffer, count)
}
