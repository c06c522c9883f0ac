import Foundation
import Testing

/// `--threads N` on `run`, `predict`, `evaluate` and `bench`, through the binary.
struct ThreadsOptionTests {
  /// Wide enough that the hidden layers' products (256 × 192 × 192 multiply-adds) are split over the
  /// threads.
  let wideModel = """
    data linear count=256 slope=2 intercept=1 noise=0.05
    layer dense units=192 activation=tanh
    layer dense units=192 activation=relu
    layer dense units=1
    optimizer sgd lr=0.01 momentum=0.9
    train epochs=3 batch=full seed=5
    """

  @Test func oneAndTwoThreadsTrainToTheSameWeightsBitForBit() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(wideModel, to: "wide.txt", in: folder)
    let inputs = try write("x\n-1\n0.25\n3\n", to: "inputs.csv", in: folder)
    var predictions: [String] = []
    for threads in ["1", "2"] {
      let checkpoint = folder.appendingPathComponent("wide-\(threads).safetensors").path
      let run = try runProcess(
        ["run", model, "--threads", threads, "--output", checkpoint, "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      let predict = try runProcess(["predict", checkpoint, inputs, "--threads", threads])
      #expect(predict.status == 0, "\(predict.stderr)")
      predictions.append(predict.stdout)
      let evaluate = try runProcess(["evaluate", checkpoint, "--threads", threads, "--json"])
      #expect(evaluate.status == 0, "\(evaluate.stderr)")
    }
    #expect(predictions[0] == predictions[1])
    #expect(predictions[0].split(separator: "\n").count == 4)  // a header and three predictions
  }

  @Test(arguments: ["0", "65", "two"])
  func anOutOfRangeThreadCountIsAUsageError(value: String) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try write(wideModel, to: "wide.txt", in: folder)
    for arguments in [["run", model, "--no-save"], ["bench", "--only", "W2"]] {
      let result = try runProcess(arguments + ["--threads", value])
      #expect(result.status == 64)
      #expect(
        result.stderr.contains(
          "invalid value '\(value)' for '--threads': expected an integer in 1...64"),
        "\(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
  }
}
