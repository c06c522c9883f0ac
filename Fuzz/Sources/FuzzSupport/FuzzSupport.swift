import NNProtocols

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `body` on one fuzz input: success and an `InputError` (or `InputErrors`) are the two accepted
/// outcomes. Any other error means a reader let a problem through without naming its place, and is
/// reported as a finding by stopping the process (libFuzzer then saves the input).
///
/// Crashes, traps, hangs, leaks and huge allocations inside `body` are caught by libFuzzer and
/// AddressSanitizer themselves.
public func acceptInputErrors(_ what: String, _ body: () throws -> Void) {
  do {
    try body()
  } catch is InputError {
  } catch is InputErrors {
  } catch {
    fatalError("\(what) threw \(type(of: error)), not an InputError: \(error)")
  }
}

/// Stops the process with `message` when `condition` is false: a broken invariant is a finding.
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

/// A folder of this process for the files a harness must hand to path-based readers (in `/dev/shm`
/// when it exists, so writing them costs no disk I/O).
public let scratchFolder: String = {
  let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
  let folder = "\(base)/nnpipe-fuzz-\(getpid())"
  mkdir(folder, 0o700)
  atexit {
    // Best effort: remove the few files the harnesses write, then the folder.
    for name in ["a", "b", "c"] { unlink("\(scratchFolder)/\(name)") }
    rmdir(scratchFolder)
  }
  return folder
}()

/// Writes `bytes` to the file `name` in `scratchFolder` (replacing it) and returns its path.
public func scratchFile(_ name: String, _ bytes: some Collection<UInt8>) -> String {
  let path = "\(scratchFolder)/\(name)"
  let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  precondition(descriptor >= 0, "cannot create \(path)")
  let array = Array(bytes)
  var written = 0
  array.withUnsafeBytes { raw in
    while written < raw.count {
      let n = write(descriptor, raw.baseAddress! + written, raw.count - written)
      precondition(n > 0, "cannot write \(path)")
      written += n
    }
  }
  close(descriptor)
  return path
}
