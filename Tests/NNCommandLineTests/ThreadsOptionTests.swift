import Foundation
import NNCommandLine
import NNKernels
import NNProtocols
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

  /// A model whose hidden activation records the thread count the work runs with (a custom
  /// activation keeps the run layer by layer, on the command's thread).
  func probedModel(threads: Int? = nil) -> String {
    """
    data linear count=64 slope=2 intercept=1 noise=0.05
    layer dense units=4 activation=probe
    layer dense units=1
    train epochs=2 batch=16 seed=1\(threads.map { " threads=\($0)" } ?? "")
    """
  }

  @Test func aCommandRunsWithItsThreadCountAndLeavesTheCountAsItFoundIt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let before = Kernels.threadCount
    let other = before == 3 ? 2 : 3
    let probe = ThreadCountProbe()
    let registry = try probe.registry()
    let model = try write(probedModel(), to: "probe.txt", in: folder)
    let checkpoint = folder.appendingPathComponent("probe.safetensors").path

    let run = runInProcess(
      ["run", model, "--threads", "\(other)", "--output", checkpoint, "--quiet"], registry: registry
    )
    #expect(run.status == 0, "\(run.stderr)")
    #expect(probe.take() == [other])
    #expect(Kernels.threadCount == before)

    let inputs = try write("x\n0.5\n", to: "inputs.csv", in: folder)
    let predict = runInProcess(
      ["predict", checkpoint, inputs, "--threads", "1"], registry: registry)
    #expect(predict.status == 0, "\(predict.stderr)")
    #expect(probe.take() == [1])
    #expect(Kernels.threadCount == before)

    let evaluate = runInProcess(["evaluate", checkpoint, "--threads", "2"], registry: registry)
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
    #expect(probe.take() == [2])
    #expect(Kernels.threadCount == before)

    let bench = runInProcess(["bench", "--only", "W2", "--threads", "\(other)"])
    #expect(bench.status == 0, "\(bench.stderr)")
    #expect(Kernels.threadCount == before)

    // Without --threads the count in force is used; a refused command changes nothing either.
    let plain = runInProcess(["run", model, "--no-save", "--quiet"], registry: registry)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(probe.take() == [before])
    let refused = runInProcess(["run", model, "--threads", "0", "--no-save"], registry: registry)
    #expect(refused.status == 64)
    #expect(Kernels.threadCount == before)
  }

  @Test func theModelsThreadsSettingIsUsedForItsRunAndRestored() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let before = Kernels.threadCount
    let probe = ThreadCountProbe()
    let registry = try probe.registry()
    let model = try write(probedModel(threads: 2), to: "probe.txt", in: folder)
    // As before the count became a value: `train threads=` wins over --threads.
    let run = runInProcess(
      ["run", model, "--threads", "3", "--no-save", "--quiet"], registry: registry)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(probe.take() == [2])
    #expect(Kernels.threadCount == before)
  }
}

/// Records `Kernels.threadCount` each time its `probe` activation is applied.
final class ThreadCountProbe: @unchecked Sendable {
  private let lock = NSLock()
  private var seen: Set<Int> = []

  /// The counts seen since the last call.
  func take() -> Set<Int> {
    lock.withLock {
      defer { seen = [] }
      return seen
    }
  }

  func record() {
    let count = Kernels.threadCount
    lock.withLock { _ = seen.insert(count) }
  }

  /// The standard components plus `probe`, an identity activation that records the count.
  func registry() throws -> ComponentRegistry {
    var registry = ComponentRegistry.standard()
    try registry.registerActivation("probe", summary: "identity that records the thread count") {
      [self] _ in ProbeActivation(probe: self)
    }
    return registry
  }
}

struct ProbeActivation: Activation {
  let probe: ThreadCountProbe
  var name: String { "probe" }
  func value<S: NNScalar>(_ z: S) -> S {
    probe.record()
    return z
  }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 1 }
}
