import Foundation
import Testing

/// SIGINT during `nnpipe run`: the step finishes, a checkpoint is saved, and `--resume` continues.
struct InterruptionTests {
  /// Long enough to be interrupted: many small steps.
  let slowModel = """
    data sine count=400
    layer dense units=16 activation=tanh
    layer dense units=1
    optimizer sgd lr=0.01 momentum=0.9
    train epochs=100000 batch=1 seed=5
    """

  @Test func sigintSavesACheckpointAndExits130ThenResumeContinues() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(slowModel, to: "slow.txt", in: folder)
    let checkpoint = folder.appendingPathComponent("slow.safetensors").path

    // Interrupted once training has started (the first epoch line).
    let (status, stderr) = try interruptedRun(["run", model])
    #expect(status == 130, "\(stderr)")
    #expect(stderr.contains("stopped: interrupted"))
    #expect(stderr.contains("saved \(checkpoint)"))
    #expect(stderr.contains("resume with: nnpipe run \(model) --resume \(checkpoint)"))
    #expect(FileManager.default.fileExists(atPath: checkpoint))

    // Resume with a budget of a few more epochs: it continues from where it stopped.
    let resumed = try runProcess([
      "run", model, "--resume", checkpoint, "--epochs", "3", "--no-save", "--json",
    ])
    #expect(resumed.status == 0 || resumed.status == 64, "\(resumed.stderr)")
    if resumed.status == 0 {
      let object =
        try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any]
      #expect(object?["epochs"] as? Int == 3)
    } else {
      // Interrupted after epoch 3 already: the budget is spent and it says so.
      #expect(resumed.stderr.contains("nothing to resume: the checkpoint has completed"))
    }
  }

  @Test func resumingASpentBudgetSaysSo() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(
      slowModel.replacingOccurrences(of: "epochs=100000 batch=1", with: "epochs=2 batch=50"),
      to: "short.txt", in: folder)
    #expect(try runProcess(["run", model, "--quiet"]).status == 0)
    let checkpoint = folder.appendingPathComponent("short.safetensors").path
    let result = try runProcess(["run", model, "--resume", checkpoint])
    #expect(result.status == 64)
    #expect(
      result.stderr.hasPrefix(
        "\(checkpoint): error: nothing to resume: the checkpoint has completed 2 epochs and the budget is 2"
      ))
    #expect(result.stderr.contains("note: raise the budget, e.g. --epochs 4"))
  }

  @Test func aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(
      slowModel.replacingOccurrences(of: "epochs=100000 batch=1", with: "epochs=6 batch=32"),
      to: "m.txt", in: folder)
    let straight = folder.appendingPathComponent("straight.safetensors").path
    let half = folder.appendingPathComponent("half.safetensors").path
    #expect(try runProcess(["run", model, "--quiet", "--output", straight]).status == 0)
    #expect(
      try runProcess(["run", model, "--quiet", "--output", half, "--epochs", "3"]).status == 0)
    let resumed = try runProcess(["run", model, "--quiet", "--resume", half, "--output", half])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    // Same tensors, bit for bit (the metadata differs only in history).
    let a = try runProcess([
      "predict", straight, try write("x1\n0.3\n-1.2\n", to: "in.csv", in: folder),
    ])
    let b = try runProcess(["predict", half, folder.appendingPathComponent("in.csv").path])
    #expect(a.status == 0 && a.stdout == b.stdout, "\(a.stdout) vs \(b.stdout)")
  }

  /// Runs `nnpipe` with `arguments`, interrupts it (SIGINT) once its first epoch line appears and
  /// returns its exit status and standard error.
  func interruptedRun(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = nnpipeExecutable
    process.arguments = arguments + ["--log-every", "1"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("epoch 1/") {
      let chunk = err.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen.append(chunk)
    }
    kill(process.processIdentifier, SIGINT)
    seen.append(err.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: seen, as: UTF8.self))
  }

  /// The printed `resume with:` command, run verbatim by a shell, finishes the original budget
  /// (given with --epochs) at the original output (a path that needs quoting), with the --set
  /// overrides of the first run (without them the model would differ, and resuming would refuse).
  @Test func theResumeHintRunsVerbatimAndFinishesTheBudgetAtTheOutput() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(slowModel, to: "slow.txt", in: folder)
    let outputFolder = folder.appendingPathComponent("out dir")
    try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
    let output = outputFolder.appendingPathComponent("it's.safetensors").path
    let run = try interruptedRun([
      "run", model, "--epochs", "20", "--output", output, "--set", "optimizer.lr=0.02",
      "--set", "train.precision=double",
    ])
    #expect(run.status == 130, "\(run.stderr)")
    let hint = run.stderr.split(separator: "\n").first { $0.hasPrefix("resume with: ") }
    let command = try #require(hint).dropFirst("resume with: ".count)
    #expect(
      command
        == "nnpipe run \(model) --set optimizer.lr=0.02 --set train.precision=double --epochs 20 "
        + "--output '\(outputFolder.path)/it'\\''s.safetensors' "
        + "--resume '\(outputFolder.path)/it'\\''s.safetensors'")
    // Verbatim, by a shell, with `nnpipe` the binary under test.
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    shell.arguments = ["-c", "\"$NNPIPE\"" + command.dropFirst("nnpipe".count) + " --json"]
    shell.environment = ["NNPIPE": nnpipeExecutable.path, "PATH": "/usr/bin:/bin"]
    let out = Pipe()
    shell.standardOutput = out
    shell.standardError = FileHandle.nullDevice
    try shell.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    shell.waitUntilExit()
    #expect(shell.terminationStatus == 0)
    let object = try JSONSerialization.jsonObject(with: stdout) as? [String: Any]
    #expect(object?["epochs"] as? Int == 20)
    #expect(object?["stop_reason"] as? String == "completed")
    #expect(object?["checkpoint"] as? String == output)
    // Without the --set of the first run, the model differs, and resuming says how.
    let plain = try runProcess(["run", model, "--epochs", "30", "--resume", output, "--no-save"])
    #expect(plain.status == 64)
    #expect(
      plain.stderr.hasPrefix(
        "\(output): error: the model file differs from the model this checkpoint was trained with: "
          + "optimizer lr: checkpoint 0.02, model file 0.01\nnote: also: train precision: "
          + "checkpoint double, model file float; the network"), "\(plain.stderr)")
  }
}
