import Foundation
import NNDatasets
import NNKernels
import NNLayers
import NNModelLanguage
import NNOptimizers
import NNProtocols
import NNTraining

/// One benchmark workload's figures.
public struct BenchmarkResult: Sendable {
  /// `W1` … `W6`.
  public var id: String
  /// What it runs, in a few words.
  public var title: String
  /// Named figures in order, e.g. `("train_s", 0.004)`.
  public var figures: [(name: String, value: Double)]
  /// What the figures mean.
  public var meaning: String
}

/// The workloads of `BENCHMARKS.md`, run exactly as defined there.
public struct Benchmarks {
  public var registry: ComponentRegistry
  /// Where `digits.csv` is (W5).
  public var dataDirectory: String
  /// The threads the workloads run with (`--threads`), set for the calling thread while one runs
  /// and restored after (`Kernels.withThreadCount`); `nil`: `Kernels.threadCount`.
  public var threads: Int?

  /// The training step every workload takes (`--step`); `nil`: the planner's choice.
  public var step: StepKind?

  public init(
    registry: ComponentRegistry, dataDirectory: String, threads: Int? = nil, step: StepKind? = nil
  ) {
    self.step = step
    self.registry = registry
    self.dataDirectory = dataDirectory
    self.threads = threads
  }

  /// Every workload id, in order.
  public static let ids = ["W1", "W2", "W3", "W4", "W5", "W6"]

  /// Runs workload `id` with `threads`.
  public func run(_ id: String) throws -> BenchmarkResult {
    try Kernels.withThreadCount(threads) { try runWorkload(id) }
  }

  private func runWorkload(_ id: String) throws -> BenchmarkResult {
    switch id {
    case "W1": return try sine()
    case "W2": return try xnor()
    case "W3": return try mlp()
    case "W4": return gemm()
    case "W5": return try digits()
    case "W6": return try reading()
    default:
      throw InputError(
        "unknown workload '\(id)'; expected one of: \(Self.ids.joined(separator: ", "))")
    }
  }

  /// The first tutorial's model text (W1), also `Examples/sine.txt`.
  static let sineModel = """
    data sine
    layer dense units=20 activation=sigmoid init=normal(std=0.2) bias_init=normal(std=0.2)
    layer dense units=1 activation=identity init=normal(std=0.2) bias_init=normal(std=0.2)
    loss half_mse
    optimizer sgd lr=0.1
    train epochs=2000 batch=full precision=double
    """

  /// The second tutorial's XNOR network (W2).
  static let xnorModel = """
    data xnor constant=true
    layer dense units=4 activation=sigmoid bias=false init=normal(std=1)
    layer dense units=1 activation=sigmoid bias=false init=normal(std=1)
    loss half_sse
    optimizer sgd lr=1
    train epochs=10000 batch=full precision=double
    """

  /// W5: scikit-learn's digits, 64 → 128 ReLU → 10, Adam, batch 32, 50 epochs.
  static let digitsModel = """
    data csv path=digits.csv target=digit task=classification
    split test=0.25 stratify=true
    layer dense units=128 activation=relu init=he_uniform
    layer dense units=10
    loss cross_entropy
    optimizer adam lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8
    train epochs=50 batch=32 shuffle=true
    """

  /// Parses a model text with `--set`-style overrides, prepares and trains it, and returns the outcome
  /// and the training and test metrics.
  private func train<S: NNScalar>(
    _ text: String, baseDirectory: String, overrides: [String] = [], as type: S.Type
  ) throws -> (TrainingOutcome, Metrics, Metrics?) {
    let description = try ModelParser(registry: registry).parse(
      text, path: nil, baseDirectory: baseDirectory, overrides: overrides)
    let runner = ModelRunner(registry: registry)
    let (data, model) = try runner.prepare(description)
    let session = Session<S>(runner: runner, data: data, model: model)
    var generator = SeededGenerator(seed: description.training.seed)
    let network = try Network<S>(
      builders: model.builders, inputSize: model.inputSize, generator: &generator)
    let updater = ParameterUpdater<S>(optimizer: model.optimizer)
    let trainer = try makeTrainer(
      network: network, loss: model.loss, updater: updater, generator: generator)
    let train = session.labeled(data.train)
    let plan = TrainingPlan(
      epochs: description.training.epochs, batchSize: description.training.batchSize,
      shuffle: description.training.shuffle)
    let outcome = try trainer.fit(train, plan: plan)
    let test = data.test.count > 0 ? trainer.evaluate(session.labeled(data.test)) : nil
    return (outcome, trainer.evaluate(train), test)
  }

  /// W1 in float (what JAX, PyTorch and FANN compute in by default) and in double (NumPy's default,
  /// and `Examples/sine.txt`'s precision). Each precision trains twice from the same initial weights,
  /// and the second run is timed, as the JAX script times its second call: a 10 ms run is otherwise
  /// at the mercy of the process's first moments (measured: the first run in a process took 16–18 ms
  /// in about one run out of three, later ones 11.0–11.4 ms).
  func sine() throws -> BenchmarkResult {
    func secondRun<S: NNScalar>(_ overrides: [String], as type: S.Type) throws -> (
      TrainingOutcome, Metrics
    ) {
      _ = try train(Self.sineModel, baseDirectory: ".", overrides: overrides, as: S.self)
      let (outcome, metrics, _) = try train(
        Self.sineModel, baseDirectory: ".", overrides: overrides, as: S.self)
      return (outcome, metrics)
    }
    let (single, singleMetrics) = try secondRun(["train.precision=float"], as: Float.self)
    let (double, doubleMetrics) = try secondRun([], as: Double.self)
    return BenchmarkResult(
      id: "W1", title: "sine 1-20-1, full batch, 2000 epochs (float; double)",
      figures: [
        ("train_s", single.seconds), ("final_loss", singleMetrics.loss),
        ("train_s_double", double.seconds), ("final_loss_double", doubleMetrics.loss),
      ],
      meaning:
        "training seconds of the second of two runs (as JAX's script); final loss ½/m·Σ(a−y)²; "
        + "in float, then in double")
  }

  func xnor() throws -> BenchmarkResult {
    let (outcome, metrics, _) = try train(Self.xnorModel, baseDirectory: ".", as: Double.self)
    return BenchmarkResult(
      id: "W2", title: "xnor 3-4-1 sigmoid, no biases, 10000 epochs (double)",
      figures: [("train_s", outcome.seconds), ("final_loss", metrics.loss)],
      meaning: "training seconds; final loss ½·Σ(o−y)²")
  }

  func digits() throws -> BenchmarkResult {
    let (outcome, _, test) = try train(
      Self.digitsModel, baseDirectory: dataDirectory, as: Float.self)
    return BenchmarkResult(
      id: "W5", title: "digits 64-128-10, Adam, batch 32, 50 epochs",
      figures: [("train_s", outcome.seconds), ("test_accuracy", test?.accuracy ?? 0)],
      meaning: "training seconds; accuracy on the stratified 25 % test part")
  }

  /// W3: 60 000 × 784 standard-normal samples, uniform labels, 784-256-128-10 ReLU, SGD momentum.
  func mlp(samples: Int = 60_000) throws -> BenchmarkResult {
    var generator = SeededGenerator(seed: 0)
    let features = Matrix<Float>(rows: samples, cols: 784)
    for i in 0..<features.count { features.base[i] = Float(generator.normal()) }
    let labels = Matrix<Float>(rows: samples, cols: 1)
    for i in 0..<samples { labels.base[i] = Float(generator.next() % 10) }
    let he = try registry.reference(.initializer, "he_normal")
    func dense(_ units: Int, _ activation: String) throws -> any LayerBuilder {
      try registry.makeLayer(
        registry.reference(
          .layer, "dense",
          [
            ("units", .integer(units)),
            ("activation", .component(registry.reference(.activation, activation))),
            ("init", .component(he)),
          ]))
    }
    let builders = [try dense(256, "relu"), try dense(128, "relu"), try dense(10, "identity")]
    let network = try Network<Float>(builders: builders, inputSize: 784, generator: &generator)
    let optimizer = try registry.makeOptimizer(
      registry.reference(.optimizer, "sgd", [("lr", .real(0.01)), ("momentum", .real(0.9))]))
    let trainer = try makeTrainer(
      network: network, loss: try registry.makeLoss(registry.reference(.loss, "cross_entropy")),
      updater: ParameterUpdater(optimizer: optimizer), generator: generator)
    let data = LabeledData(features: features, targets: labels, classCount: 10)
    let warmUp = TrainingPlan(epochs: 1, batchSize: 128, shuffle: false)
    _ = try trainer.fit(data, plan: warmUp)
    let timed = try trainer.fit(data, plan: warmUp)
    let dataMB = Double((features.count + labels.count) * 4) / 1e6
    return BenchmarkResult(
      id: "W3", title: "mlp 784-256-128-10, SGD momentum, batch 128 (float)",
      figures: [
        ("samples_per_s", Double(samples) / timed.seconds),
        ("peak_rss_mb", peakResidentMegabytes()), ("data_mb", dataMB),
        ("final_loss", timed.history.last?.loss ?? .nan),
      ],
      meaning: "samples per second of the timed epoch; peak resident size vs data size (MB)")
  }

  /// A trainer taking `step`; a step that does not qualify is an input error naming `--step`.
  private func makeTrainer<S: NNScalar>(
    network: Network<S>, loss: any Loss, updater: ParameterUpdater<S>, generator: SeededGenerator
  ) throws -> Trainer<S> {
    do {
      return try Trainer(
        network: network, loss: loss, updater: updater, generator: generator, step: step)
    } catch {
      throw InputError(
        "--step \(error.step.rawValue): \(error)",
        hint: "use --step auto to let nnpipe choose (it takes the fastest step that qualifies)")
    }
  }

  /// W4: C = A·B in float32, square n = 128, 512, 1024, best of 5.
  func gemm() -> BenchmarkResult {
    var figures: [(String, Double)] = []
    for n in [128, 512, 1024] {
      var generator = SeededGenerator(seed: UInt64(n))
      let a = Matrix<Float>(rows: n, cols: n)
      let b = Matrix<Float>(rows: n, cols: n)
      let c = Matrix<Float>(rows: n, cols: n)
      for i in 0..<a.count {
        a.base[i] = Float(generator.uniform(-1, 1))
        b.base[i] = Float(generator.uniform(-1, 1))
      }
      let repeats = max(1, 50_000_000 / (n * n * n))
      var best = Double.infinity
      c.assignProduct(a, b)
      for _ in 0..<5 {
        let start = ContinuousClock.now
        for _ in 0..<repeats { c.assignProduct(a, b) }
        best = min(best, (ContinuousClock.now - start).seconds / Double(repeats))
      }
      figures.append(("gflops_\(n)", 2 * Double(n * n * n) / best / 1e9))
    }
    return BenchmarkResult(
      id: "W4", title: "gemm float32 C = A·B, n = 128/512/1024, \(Kernels.threadCount) threads",
      figures: figures, meaning: "GFLOP/s (2n³ flops), best of 5")
  }
}

extension Benchmarks {
  /// W6: reading MNIST-sized IDX files (60 000 × 28 × 28 ubyte images and their labels) and a 100 MB
  /// numeric CSV, both written to a temporary folder first (the writing is not timed).
  func reading() throws -> BenchmarkResult {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nnpipe-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = SeededGenerator(seed: 6)

    // IDX: magic 0x00000803 (ubyte, 3 dimensions), then big-endian sizes, then the bytes.
    let (count, side) = (60_000, 28)
    var images: [UInt8] = [0, 0, 0x08, 3]
    for size in [count, side, side] {
      images += withUnsafeBytes(of: UInt32(size).bigEndian, Array.init)
    }
    images.reserveCapacity(images.count + count * side * side)
    for _ in 0..<(count * side * side / 8) {
      images += withUnsafeBytes(of: generator.next(), Array.init)
    }
    var labels: [UInt8] =
      [0, 0, 0x08, 1] + withUnsafeBytes(of: UInt32(count).bigEndian, Array.init)
    for _ in 0..<count { labels.append(UInt8(generator.next() % 10)) }
    let imagesPath = folder.appendingPathComponent("images-idx3-ubyte").path
    let labelsPath = folder.appendingPathComponent("labels-idx1-ubyte").path
    try Data(images).write(to: URL(fileURLWithPath: imagesPath))
    try Data(labels).write(to: URL(fileURLWithPath: labelsPath))

    // CSV: 10 numeric features and a numeric target per row, about 100 MB.
    var csv = "a,b,c,d,e,f,g,h,i,j,y\n"
    csv.reserveCapacity(105_000_000)
    while csv.utf8.count < 100_000_000 {
      var row: [String] = []
      for _ in 0..<11 { row.append(String(format: "%.6f", generator.uniform(-100, 100))) }
      csv += row.joined(separator: ",") + "\n"
    }
    let csvPath = folder.appendingPathComponent("data.csv").path
    try Data(csv.utf8).write(to: URL(fileURLWithPath: csvPath))

    func seconds(_ body: () throws -> Void) rethrows -> Double {
      let start = ContinuousClock.now
      try body()
      return (ContinuousClock.now - start).seconds
    }
    let idx = try seconds { _ = try IDXReader().read(images: imagesPath, labels: labelsPath) }
    let table = try seconds { _ = try CSVReader().read(path: csvPath) }
    return BenchmarkResult(
      id: "W6", title: "read 60000×28×28 IDX images + labels, and a 100 MB numeric CSV",
      figures: [("idx_s", idx), ("csv_s", table), ("csv_mb", Double(csv.utf8.count) / 1e6)],
      meaning: "seconds to read each (files written beforehand, not timed)")
  }
}

/// The process's peak resident set size in megabytes.
func peakResidentMegabytes() -> Double {
  var usage = rusage()
  #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  #if os(Linux)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
  #else
    return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
  #endif
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) * 1e-18
  }
}
