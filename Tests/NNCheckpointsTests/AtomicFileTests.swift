import Foundation
import NNProtocols
import NNTestSupport
import Testing

@testable import NNCheckpoints

/// A failure thrown by a test's producer halfway through writing.
private struct SimulatedFailure: Error {}

@Suite struct AtomicFileTests {
  @Test func writesANewFileAndReplacesAnOldOne() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let target = folder.file("out.bin")
    try AtomicFile.write([1, 2, 3], to: target)
    #expect(try AtomicFile.readBytes(target) == [1, 2, 3])
    try AtomicFile.write(Array(repeating: 7, count: 100_000), to: target)
    #expect(try AtomicFile.readBytes(target) == Array(repeating: 7, count: 100_000))
    #expect(try folder.contents() == ["out.bin"], "no temporary file is left behind")
  }

  @Test func aFailingProducerLeavesTheOldFileIntactAndNoTemporaryFile() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let target = folder.file("model.safetensors")
    try AtomicFile.write(Array("old contents".utf8), to: target)
    #expect(throws: SimulatedFailure.self) {
      try AtomicFile.write(to: target) { output in
        try output.write("new contents, half written")
        throw SimulatedFailure()
      }
    }
    #expect(try AtomicFile.readBytes(target) == Array("old contents".utf8))
    #expect(try folder.contents() == ["model.safetensors"])
  }

  @Test func aParentThatIsAFileIsAWriteErrorAndNothingIsCreated() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    try AtomicFile.write([1], to: folder.file("plain"))
    let target = folder.file("plain/out.bin")
    let error = #expect(throws: AtomicFile.WriteError.self) {
      try AtomicFile.write([1, 2], to: target)
    }
    #expect(error?.path == target)
    #expect(
      error?.reason
        == "cannot create a temporary file in '\(folder.file("plain"))': Not a directory"
    )
    #expect(try folder.contents() == ["plain"])
  }

  @Test func aTargetThatIsAFolderIsLeftIntactAndTheTemporaryFileRemoved() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let target = folder.file("taken")
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
    try AtomicFile.write([9], to: target + "/inside")
    let error = #expect(throws: AtomicFile.WriteError.self) {
      try AtomicFile.write([1, 2], to: target)
    }
    #expect(error?.reason == "cannot replace the file: Is a directory")
    #expect(error?.description == "\(target): error: cannot replace the file: Is a directory")
    #expect(try folder.contents() == ["taken"])
    #expect(try AtomicFile.readBytes(target + "/inside") == [9])
  }

  @Test func keepsTheOldFilesPermissions() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let target = folder.file("private.bin")
    try AtomicFile.write([1], to: target)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
    try AtomicFile.write([2], to: target)
    let attributes = try FileManager.default.attributesOfItem(atPath: target)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
  }

  @Test func writesRelativeToTheCurrentFolderWhenThePathHasNoFolder() {
    #expect(AtomicFile.split("model.safetensors") == (".", "model.safetensors"))
    #expect(AtomicFile.split("/model.safetensors") == ("/", "model.safetensors"))
    #expect(AtomicFile.split("runs/a/m.st") == ("runs/a", "m.st"))
  }

  @Test func readingAMissingFileOrAFolderNamesTheFile() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let missing = folder.file("missing.safetensors")
    let error = #expect(throws: InputError.self) { try AtomicFile.readBytes(missing) }
    #expect(error?.file == missing)
    #expect(error?.message == "cannot open the file: No such file or directory")
    let folderError = #expect(throws: InputError.self) { try AtomicFile.readBytes(folder.path) }
    #expect(folderError?.message == "is a folder, not a file")
  }

  @Test func existsSeesFilesFoldersAndNothing() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    #expect(AtomicFile.exists(folder.path))
    #expect(!AtomicFile.exists(folder.file("nothing")))
    try AtomicFile.write([], to: folder.file("empty"))
    #expect(AtomicFile.exists(folder.file("empty")))
    #expect(try AtomicFile.readBytes(folder.file("empty")) == [])
  }

  @Test func anEmptyPathOrAFolderPathIsAnInputErrorNotACrash() throws {
    let empty = #expect(throws: InputError.self) { try AtomicFile.write([1], to: "") }
    #expect(empty?.message == "the output path is empty")
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let slash = #expect(throws: InputError.self) {
      try AtomicFile.write([1], to: folder.path + "/")
    }
    #expect(slash?.message == "names a folder, not a file")
    #expect(try folder.contents() == [])
  }

  @Test func temporaryNamesFitEvenForTheLongestLegalName() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    for length in [1, 200, 230, 231, 252, 255] {
      let name = String(repeating: "a", count: length)
      let temporary = AtomicFile.split(AtomicFile.temporaryPath(for: folder.file(name))).name
      #expect(temporary.utf8.count <= 255, "\(length)")
      #expect(temporary.hasPrefix("." + name.prefix(230) + ".tmp-\(getpid())-"))
      try AtomicFile.write([UInt8(length % 256)], to: folder.file(name))
      #expect(try AtomicFile.readBytes(folder.file(name)) == [UInt8(length % 256)])
    }
    // Cut at a character boundary: 2-byte characters, 230 bytes kept.
    let wide = String(repeating: "é", count: 127)
    #expect(
      AtomicFile.temporaryPrefix(for: wide, nameMax: 255) == "."
        + String(repeating: "é", count: 115) + ".tmp-")
    #expect(try folder.contents().count == 6, "no temporary file is left behind")
  }

  /// The pid of a process that has exited.
  func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exit 0"]
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  @Test func strayTemporariesOfDeadWritesAreRemovedOnTheNextWrite() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let dead = try deadProcessID()
    let live = getppid()
    let strays = [
      ".m.safetensors.tmp-\(dead)-1a2b3c4d": false,  // a killed write: removed
      ".m.safetensors.tmp-\(live)-0badf00d": true,  // a live process's write: kept
      ".m.safetensors.tmp-\(live)-00c0ffee": false,  // a live pid but two days old: removed
      ".other.csv.tmp-\(dead)-1a2b3c4d": true,  // another target's: kept
      ".m.safetensors.tmp-notapid": true,  // not of the pattern: kept
    ]
    for name in strays.keys { try AtomicFile.write(Array(name.utf8), to: folder.file(name)) }
    let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
    try FileManager.default.setAttributes(
      [.modificationDate: twoDaysAgo],
      ofItemAtPath: folder.file(".m.safetensors.tmp-\(live)-00c0ffee"))
    try AtomicFile.write([1], to: folder.file("m.safetensors"))
    let kept = strays.filter(\.value).keys.sorted()
    #expect(try folder.contents() == (kept + ["m.safetensors"]).sorted())
  }
}
