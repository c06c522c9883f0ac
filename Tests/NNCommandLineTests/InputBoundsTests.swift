import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Bounded work on any input, through the binary as a user meets it: inputs that never end, signals
/// while loading, huge words and lines, look-alike characters, ranges, and messages that name the
/// real reason and the place (Documentation/Reliability.md, "Bounded work and true messages").
@Suite struct InputBoundsTests {
  /// A small model reading `data` (a data statement's rest).
  func model(_ data: String, extra: String = "") -> String {
    "data \(data)\nlayer dense units=2 activation=tanh\nlayer dense units=1\n"
      + "train epochs=2 batch=10\n\(extra)"
  }

  /// Runs the binary, feeding `input` to its standard input from another thread (so a pipe that
  /// fills up cannot block the test); returns its result and the seconds it took.
  func runWithInput(
    _ arguments: [String], input: Data, environment extra: [String: String] = [:]
  ) throws -> (CommandResult, Double) {
    let process = Process()
    process.executableURL = nnpipeExecutable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let (stdin, out, err) = (Pipe(), Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    let started = Date()
    try process.run()
    let writer = Thread {
      // A broken pipe (the reader stopped early) is expected: ignore the error.
      signal(SIGPIPE, SIG_IGN)
      try? stdin.fileHandleForWriting.write(contentsOf: input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)),
      Date().timeIntervalSince(started)
    )
  }

  /// Runs the binary and returns its result and the seconds it took.
  func timed(_ arguments: [String], in folder: URL) throws -> (CommandResult, Double) {
    let started = Date()
    let result = try runProcess(arguments, in: folder)
    return (result, Date().timeIntervalSince(started))
  }

  // MARK: Inputs that never end

  @Test(
    "a character device that never ends is refused promptly, with exit 64, by every reader",
    arguments: [
      "csv path=/dev/zero", "csv path=/dev/urandom", "fann path=/dev/zero",
      "idx images=/dev/zero",
    ])
  func endlessDevices(_ data: String) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(model(data), to: "m.txt", in: folder)
    let (result, seconds) = try timed(["run", "m.txt", "--no-save"], in: folder)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(seconds < 10, "\(seconds) s")
    let device = data.split(separator: "=").last.map(String.init) ?? ""
    #expect(
      result.stderr.hasPrefix(
        "\(device): error: this is a character device that does not end (it gave more than 64 MiB);"
          + " expected a data file: a regular file or a pipe that ends"), "\(result.stderr)")
  }

  @Test("a pipe that gives more than the limit is refused, naming the limit and how to raise it")
  func pipeOverTheLimit() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainedCheckpoint(in: folder)
    let input = Data(("x1\n" + String(repeating: "0.5\n", count: 100_000)).utf8)
    let (result, _) = try runWithInput(
      ["predict", checkpoint, "-"], input: input,
      environment: ["NNPIPE_MAX_INPUT_BYTES": "65536"])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(
      result.stderr
        == "<stdin>: error: this pipe gave more than 64 KiB without ending; nnpipe reads at most"
        + " 64 KiB from a pipe or FIFO\nnote: save the data to a regular file, or raise the limit"
        + " with NNPIPE_MAX_INPUT_BYTES=N\n")
  }

  @Test("a FIFO that ends is read like a file")
  func fifoThatEnds() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("data.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    try write(model("csv path=data.csv"), to: "m.txt", in: folder)
    let writer = Thread {
      let text = "x,y\n" + (0..<20).map { "\($0),\($0 * 2)\n" }.joined()
      try? text.write(toFile: fifo, atomically: false, encoding: .utf8)
    }
    writer.start()
    let result = try runProcess(["run", "m.txt", "--no-save", "--json"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"epochs\": 2"), "\(result.stdout)")
    // The model file itself through a FIFO (it used to be "permission denied").
    let modelFIFO = folder.appendingPathComponent("model-fifo").path
    #expect(mkfifo(modelFIFO, 0o600) == 0)
    let modelWriter = Thread {
      try? model("sine count=20").write(toFile: modelFIFO, atomically: false, encoding: .utf8)
    }
    modelWriter.start()
    let checked = try runProcess(["check", modelFIFO], in: folder)
    #expect(checked.status == 0, "\(checked.stderr)")
  }

  /// A single SIGTERM while `run` waits on a FIFO that never ends (its writer stays open) ends the
  /// run at once: before training there is nothing to save.
  @Test(
    "one SIGTERM or SIGINT while loading exits within a second with status 130",
    arguments: [SIGTERM, SIGINT])
  func signalWhileLoading(_ signalNumber: Int32) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("data.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // Opened for reading and writing, the FIFO always has a writer: the run's read waits forever.
    let holder = open(fifo, O_RDWR)
    #expect(holder >= 0)
    defer { close(holder) }
    _ = "x,y\n1,2\n".withCString { Glibc.write(holder, $0, 8) }
    try write(model("csv path=data.csv"), to: "m.txt", in: folder)
    let errors = Pipe()
    let process = try start(["run", "m.txt"], in: folder, errors: errors)
    usleep(700_000)  // well into the read
    #expect(process.isRunning)
    let sent = Date()
    kill(process.processIdentifier, signalNumber)
    let ended = wait(for: process, seconds: 5) { !process.isRunning }
    let seconds = Date().timeIntervalSince(sent)
    if !ended { process.terminate() }
    process.waitUntilExit()
    let stderr = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(ended && seconds < 1, "\(seconds) s")
    #expect(process.terminationStatus == 130)
    #expect(stderr.contains("interrupted before training started; nothing was written"))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.safetensors").path))
  }

  // MARK: Model files

  @Test("a model file that cannot be read gets the real reason, not 'permission denied'")
  func modelFileReasons() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = try runProcess(["check", "/dev/null"])
    #expect(empty.status == 64)
    #expect(
      empty.stderr.hasPrefix(
        "/dev/null: error: the model description is empty; it needs a 'data' statement"))
    let folderResult = try runProcess(["check", folder.path])
    #expect(
      folderResult.stderr
        == "\(folder.path): error: cannot read the model file: this is a folder; expected a model"
        + " file\n")
    let zero = try runProcess(["check", "/dev/zero"])
    #expect(zero.status == 64)
    #expect(
      zero.stderr.hasPrefix(
        "/dev/zero: error: cannot read the model file: this is a character device that does not"
          + " end"), "\(zero.stderr)")
  }

  @Test("10 MB of NUL bytes as a model file: the first error, at once")
  func binaryModelFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(count: 10_000_000).write(to: folder.appendingPathComponent("zeros.txt"))
    let (result, seconds) = try timed(["check", "zeros.txt"], in: folder)
    #expect(result.status == 64)
    #expect(seconds < 1, "\(seconds) s")
    #expect(
      result.stderr.hasPrefix(
        "zeros.txt:1:1: error: cannot read the model file: a NUL byte at line 1, column 1 (byte"
          + " offset 0); a model file is UTF-8 text"))
    #expect(result.stderr.utf8.count < 400)
  }

  @Test("a byte that is not UTF-8 is reported at its line and column")
  func nonUTF8ModelFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Array("data sine\nlayer dense units=1 activation=sigm".utf8) + [0xFF, 0x0A])
      .write(to: folder.appendingPathComponent("m.txt"))
    let result = try runProcess(["check", "m.txt"], in: folder)
    #expect(result.status == 64)
    #expect(
      result.stderr.hasPrefix(
        "m.txt:2:36: error: cannot read the model file: the byte 0xFF is not UTF-8 at line 2,"
          + " column 36 (byte offset 45)"), "\(result.stderr)")
  }

  @Test("a huge unknown word: no suggestion search, a short message, in well under a second")
  func hugeUnknownWord() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A keyword of 60 000 letters (a line may hold 65 536 bytes).
    try write(String(repeating: "a", count: 60_000) + "\n", to: "keyword.txt", in: folder)
    let (result, seconds) = try timed(["check", "keyword.txt"], in: folder)
    #expect(result.status == 64)
    #expect(seconds < 1, "\(seconds) s")
    let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
    #expect(
      first
        == "keyword.txt:1:1: error: unknown statement '\(String(repeating: "a", count: 64))…';"
        + " expected one of: data, split, preprocess, layer, loss, optimizer, schedule, train,"
        + " early_stopping, weights, output")
    #expect(result.stderr.utf8.count < 1500, "\(result.stderr.utf8.count) bytes")
    // A 100 000-letter activation given with --set (no line limit there).
    try write("data sine\nlayer dense units=1\n", to: "m.txt", in: folder)
    let (set, setSeconds) = try timed(
      ["check", "m.txt", "--set", "layers.0.activation=" + String(repeating: "b", count: 100_000)],
      in: folder)
    #expect(set.status == 64)
    #expect(setSeconds < 1, "\(setSeconds) s")
    #expect(
      set.stderr.hasPrefix(
        "error: --set layers.0.activation=\(String(repeating: "b", count: 100_000).prefix(10))"),
      "\(set.stderr.prefix(300))")
    #expect(set.stderr.contains("unknown activation '\(String(repeating: "b", count: 64))…'"))
    #expect(set.stderr.utf8.count < 1500, "\(set.stderr.utf8.count) bytes")
    // A 1 MB word as a value: the line is too long to be a statement, and is not read.
    let word = String(repeating: "a", count: 1_000_000)
    try write("data sine\nlayer dense units=1 activation=\(word)\n", to: "value.txt", in: folder)
    let (value, valueSeconds) = try timed(["check", "value.txt"], in: folder)
    #expect(value.status == 64)
    #expect(valueSeconds < 1, "\(valueSeconds) s")
    #expect(
      value.stderr.hasPrefix(
        "value.txt:2:1: error: line 2 is 1000031 bytes long; a model line is at most 65536 bytes"))
    #expect(value.stderr.utf8.count < 1500, "\(value.stderr.utf8.count) bytes")
  }

  @Test("a long line is shown as an excerpt around the column, with …")
  func longLineExcerpt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let padding = String(repeating: " ", count: 5000)
    try write("data sine\nlayer dense\(padding)units=0\n", to: "m.txt", in: folder)
    let result = try runProcess(["check", "m.txt"], in: folder)
    #expect(result.status == 64)
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first?.hasPrefix("m.txt:2:5018: error:") == true, "\(result.stderr)")
    #expect(lines.count >= 3 && lines[1].count <= 130 && lines[1].hasPrefix("    …"))
    #expect(lines.count >= 3 && lines[1].hasSuffix("units=0"))
    // The caret is under the '0' of units=0.
    if lines.count >= 3 {
      let caret = lines[2].count - 1
      #expect(Array(lines[1])[caret] == "0")
    }
  }

  @Test("look-alike and invisible characters are shown escaped, with the character named")
  func lookAlikeCharacters() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(
      "data sine\nlayer dense units=1 activation=sigm\u{43E}id\nlayer dense units=1 "
        + "activation=re\u{200B}lu\n", to: "m.txt", in: folder)
    let result = try runProcess(["check", "m.txt"], in: folder)
    #expect(result.status == 64)
    #expect(
      result.stderr.contains(
        "m.txt:2:32: error: unknown activation 'sigm\\u{43E}id' (it contains the non-ASCII"
          + " character U+043E CYRILLIC SMALL LETTER O); did you mean 'sigmoid'?"),
      "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "unknown activation 're\\u{200B}lu' (it contains the non-ASCII character U+200B ZERO WIDTH"
          + " SPACE); did you mean 'relu'?"), "\(result.stderr)")
    // The source line shows the invisible character escaped too.
    #expect(result.stderr.contains("    layer dense units=1 activation=re\\u{200B}lu\n"))
    #expect(!result.stderr.unicodeScalars.contains("\u{200B}"))
  }

  // MARK: Ranges, places, limits

  @Test("a column range is checked against the file before it is expanded")
  func hugeColumnRange() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("a,b,y\n1,2,3\n4,5,6\n", to: "data.csv", in: folder)
    try write(model("csv path=data.csv features=1-100000000"), to: "m.txt", in: folder)
    let (result, seconds) = try timed(["run", "m.txt", "--no-save"], in: folder)
    #expect(result.status == 64)
    #expect(seconds < 5, "\(seconds) s")
    #expect(
      result.stderr.contains(
        "features: the column range 1-100000000 goes past the last column; the file has 3"
          + " columns"), "\(result.stderr)")
  }

  @Test("a split that leaves no training sample names the model file and the split line")
  func splitErrorIsPlaced() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(
      "data sine count=2\nsplit validation=0.9\nlayer dense units=1\ntrain epochs=1\n", to: "m.txt",
      in: folder)
    let result = try runProcess(["run", "m.txt", "--no-save"], in: folder)
    #expect(result.status == 64)
    #expect(
      result.stderr.hasPrefix(
        "m.txt:2: error: data set 'sine': split validation=0.9 test=0 of 2 samples holds out 2"),
      "\(result.stderr)")
  }

  @Test("an IDX file with a dimension of 0 is refused, naming the file")
  func idxZeroDimension() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data([0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0, 28]).write(
      to: folder.appendingPathComponent("images.idx"))
    try write(model("idx images=images.idx"), to: "m.txt", in: folder)
    let result = try runProcess(["run", "m.txt", "--no-save"], in: folder)
    #expect(result.status == 64)
    #expect(
      result.stderr.contains(
        "images.idx: error: dimension 1 of 2 (at byte offset 4) is 0: the file holds no samples"),
      "\(result.stderr)")
  }

  @Test("a checkpoint that is a device or a FIFO is refused at once, saying what it is")
  func checkpointThatIsNotARegularFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("x\n1\n", to: "in.csv", in: folder)
    let fifo = folder.appendingPathComponent("model.safetensors").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // /dev/zero reported "the file is 0 bytes long"; a FIFO without a writer blocked.
    for (path, what) in [("/dev/zero", "a character device"), (fifo, "a pipe (FIFO)")] {
      let started = Date()
      let result = try runProcess(["predict", path, "in.csv"], in: folder)
      #expect(result.status == 64)
      #expect(
        result.stderr.hasPrefix("\(path): error: is \(what); expected a regular file"),
        "\(result.stderr)")
      #expect(Date().timeIntervalSince(started) < 5)
    }
  }

  @Test("train threads=N and --threads N refuse the same values, each naming itself")
  func threadLimitsAgree() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(model("sine count=20"), to: "m.txt", in: folder)
    let flag = try runProcess(["run", "m.txt", "--no-save", "--threads", "100000"], in: folder)
    #expect(flag.status == 64)
    #expect(flag.stderr.contains("'--threads': expected an integer in 1...64"), "\(flag.stderr)")
    let key = try runProcess(
      ["run", "m.txt", "--no-save", "--set", "train.threads=100000"], in: folder)
    #expect(key.status == 64)
    #expect(
      key.stderr.contains(
        "--set train.threads=100000: statement 'train' option 'threads': expected an integer in"
          + " 0…64, got 100000"), "\(key.stderr)")
    #expect(
      try runProcess(["check", "m.txt", "--set", "train.threads=64"], in: folder).status == 0)
  }

  // MARK: predict reads its input once

  /// A model trained in `folder`, for `predict`.
  func trainedCheckpoint(in folder: URL) throws -> String {
    try write(model("sine count=20"), to: "p.txt", in: folder)
    let checkpoint = folder.appendingPathComponent("p.safetensors").path
    let result = try runProcess(["run", "p.txt", "--quiet", "--output", checkpoint], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    return checkpoint
  }

  @Test("predict reads standard input ('-' or /dev/stdin) and FIFOs, once")
  func predictFromPipes() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainedCheckpoint(in: folder)
    let csv = "x1\n0.5\n-1\n"
    let inputFile = try write(csv, to: "in.csv", in: folder)
    let expected = try runProcess(["predict", checkpoint, inputFile])
    #expect(expected.status == 0, "\(expected.stderr)")
    #expect(expected.stdout.split(separator: "\n").count == 3)
    for name in ["-", "/dev/stdin"] {
      let (result, _) = try runWithInput(["predict", checkpoint, name], input: Data(csv.utf8))
      #expect(result.status == 0, "\(name): \(result.stderr)")
      #expect(result.stdout == expected.stdout, "\(name)")
    }
    let fifo = folder.appendingPathComponent("fifo.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let writer = Thread { try? csv.write(toFile: fifo, atomically: false, encoding: .utf8) }
    writer.start()
    let fromFIFO = try runProcess(["predict", checkpoint, fifo])
    #expect(fromFIFO.status == 0, "\(fromFIFO.stderr)")
    #expect(fromFIFO.stdout == expected.stdout)
    // Errors in standard input name it.
    let (bad, _) = try runWithInput(["predict", checkpoint, "-"], input: Data("x1\n0.5\nz\n".utf8))
    #expect(bad.status == 64)
    #expect(bad.stderr.hasPrefix("<stdin>:3:1: error:"), "\(bad.stderr)")
  }
}
