import Foundation
import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("DataFile")
struct DataFileTests {
  @Test("a regular file is read whole; an empty device gives no bytes")
  func regularFiles() throws {
    let folder = try TemporaryFolder(prefix: "nnpipe-datafile")
    let path = folder.file("a.csv")
    let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try DataFile.read(path) == bytes)
    #expect(try DataFile.read("/dev/null") == [])
  }

  @Test("each failure gives its real reason, naming the file as the user wrote it")
  func reasons() throws {
    let folder = try TemporaryFolder(prefix: "nnpipe-datafile")
    #expect(
      inputError { try DataFile.read(folder.path, displayName: "data") }?.description
        == "data: error: this is a folder; expected a data file")
    #expect(
      inputError { try DataFile.read(folder.path, expected: "a model file") }?.message
        == "this is a folder; expected a model file")
    #expect(
      inputError { try DataFile.read(folder.file("none")) }?.message
        == "no such file")
  }

  /// Before: /dev/zero grew without bound (gigabytes, until killed).
  @Test(
    "a character device that never ends is refused after 64 MiB",
    arguments: ["/dev/zero", "/dev/urandom"])
  func endlessDevice(_ path: String) throws {
    let started = Date()
    let error = inputError { try DataFile.read(path) }
    #expect(Date().timeIntervalSince(started) < 5)
    #expect(
      error?.description
        == "\(path): error: this is a character device that does not end (it gave more than"
        + " 64 MiB); expected a data file: a regular file or a pipe that ends")
  }

  @Test("a FIFO is read to its end, as a pipe")
  func fifo() throws {
    let folder = try TemporaryFolder(prefix: "nnpipe-datafile")
    let path = folder.file("fifo")
    #expect(mkfifo(path, 0o600) == 0)
    // More than one chunk of 1 MiB, written by another thread.
    let bytes = (0..<2_500_000).map { UInt8(truncatingIfNeeded: $0 % 253) }
    let writer = Thread { try? Data(bytes).write(to: URL(fileURLWithPath: path)) }
    writer.start()
    #expect(try DataFile.read(path) == bytes)
  }

  @Test("the limits: 64 MiB for devices, at most 8 GiB for pipes")
  func limits() {
    #expect(DataFile.deviceLimit <= 64 << 20)
    #expect(DataFile.streamLimit > 0)
    if getenv("NNPIPE_MAX_INPUT_BYTES") == nil { #expect(DataFile.streamLimit <= 8 << 30) }
  }
}
