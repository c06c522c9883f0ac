import NNDatasets
import NNModelLanguage
import NNPipeline
import NNProtocols
import Testing

@Suite("Memory estimate")
struct MemoryEstimateTests {
  let registry = ComponentRegistry.standard()

  /// The prepared model of `text` for data with `inputs` features and one regression target.
  func model(_ text: String, inputs: Int = 1) throws -> PreparedModel {
    let description = try ModelParser(registry: registry).parse(
      text, path: "big.txt", baseDirectory: "/models")
    return try PreparedModel(
      description, registry: registry, inputSize: inputs, classNames: nil, targetCount: 1)
  }

  let sine = """
    data sine
    layer dense units=20 activation=sigmoid
    layer dense units=1
    optimizer sgd lr=0.1 momentum=0.9
    """

  /// The first tutorial's 1-20-1 network: P = (20·1 + 20) + (1·20 + 1) = 61 parameters; SGD with
  /// momentum keeps one slot per parameter.
  @Test func eachPartFollowsTheFormula() throws {
    let network = try model(sine)
    let float = MemoryEstimate(network, batchSize: 32, samples: 100, precision: .float)
    #expect(float.parameterCount == 61)
    #expect(float.parameters == 61 * 4)
    #expect(float.gradients == 61 * 4)
    #expect(float.optimizerState == 61 * 4)
    // Evaluation passes all 100 samples at once (fewer than 1024), more than a batch of 32.
    #expect(float.rows == 100)
    // Σ(3·out + in) = (3·20 + 1) + (3·1 + 20) = 84 scalars a row.
    #expect(float.workspaces == 100 * 4 * 84)
    // 100 samples of 1 input and 1 target.
    #expect(float.data == 100 * 2 * 4)
    #expect(float.total == 3 * 244 + 33_600 + 800)

    let double = MemoryEstimate(network, batchSize: 32, samples: 100, precision: .double)
    #expect(double.total == 2 * float.total)
  }

  @Test func rowsAreTheBatchOrTheEvaluationChunk() throws {
    let network = try model(sine)
    #expect(MemoryEstimate(network, batchSize: 32, samples: 5000, precision: .float).rows == 1024)
    #expect(MemoryEstimate(network, batchSize: 2048, samples: 5000, precision: .float).rows == 2048)
    #expect(MemoryEstimate(network, batchSize: nil, samples: 5000, precision: .float).rows == 5000)
    #expect(MemoryEstimate(network, batchSize: 8, samples: 3, precision: .float).rows == 8)
  }

  @Test func aSmallModelPassesOnThisMachine() throws {
    try checkMemory(try model(sine), batchSize: 32, samples: 100, precision: .double)
  }

  /// A 10⁹-unit layer: P = (10⁹·1 + 10⁹) + (1·10⁹ + 1) = 3 000 000 001, 4 bytes each for the
  /// weights and again for the gradients (11.2 GiB each); the workspaces hold 100 rows of
  /// (3·10⁹ + 1) + (3 + 10⁹) scalars, 1.6·10¹² bytes (1.5 TiB).
  @Test func aBillionUnitLayerIsRefusedWithTheEstimate() throws {
    // SGD keeps no state, so the estimate is weights, gradients and workspaces.
    let network = try model(
      "data sine\nlayer dense units=1000000000\nlayer dense units=1\noptimizer sgd")
    let gibibytes24: UInt64 = 24 << 30
    let error = #expect(throws: InputError.self) {
      try checkMemory(
        network, batchSize: 32, samples: 100, precision: .float, physicalMemory: gibibytes24)
    }
    #expect(error?.file == "big.txt")
    #expect(
      error?.message
        == "the model needs about 1.5 TiB of memory (3 000 000 001 parameters in float: "
        + "11.2 GiB of weights, 11.2 GiB of gradients, 1.5 TiB of workspaces for 100 rows at a time, "
        + "800 B of training data) but this machine has 24.0 GiB")
    #expect(error?.hint == "use fewer or smaller layers, or a smaller batch (train batch=N)")
  }

  @Test func optimizerStateAndPrecisionAreNamed() throws {
    let network = try model(
      "data sine\nlayer dense units=100000\nlayer dense units=100000\nlayer dense units=1\n"
        + "optimizer adam\ntrain precision=double")
    let estimate = MemoryEstimate(network, batchSize: 32, samples: 10, precision: .double)
    #expect(estimate.optimizerState == 2 * estimate.parameters)
    let error = #expect(throws: InputError.self) {
      try checkMemory(
        network, batchSize: 32, samples: 10, precision: .double, physicalMemory: 1 << 30)
    }
    #expect(error?.message.contains("GiB of adam state") == true)
    #expect(error?.message.hasSuffix("but this machine has 1.0 GiB") == true)
    #expect(error?.hint?.contains("precision=float (half the memory)") == true)
  }

  /// Sizes whose parameter count overflows `Int` (found while writing the reliability tests:
  /// `DenseBuilder.parameterCount` trapped, so `nnpipe check` crashed on such a file).
  @Test func anOverflowingParameterCountIsRefusedNotTrapped() throws {
    let network = try model(
      "data sine\nlayer dense units=9223372036854775807\nlayer dense units=9223372036854775807\n"
        + "layer dense units=1", inputs: 2)
    #expect(network.parameterCount == Int.max)
    let estimate = MemoryEstimate(network, batchSize: 32, samples: 100, precision: .float)
    #expect(estimate.parameterCount == Int.max)
    #expect(estimate.total.isFinite && estimate.total > 1e21)
    let error = #expect(throws: InputError.self) {
      try checkMemory(network, batchSize: 32, samples: 100, precision: .float)
    }
    #expect(
      error?.message.contains("(more than 9 223 372 036 854 775 807 parameters in float:") == true)
  }

  // MARK: Generated data

  /// The parsed description of `text` (the `data` statement on line 2).
  func description(_ text: String) throws -> ModelDescription {
    try ModelParser(registry: registry).parse(
      "# a comment\n" + text, path: "gen.txt", baseDirectory: "/models")
  }

  /// `3·n·(f + t)·8`: the generated set, its split parts and their scaled copies, in double.
  @Test func theDataEstimateFollowsTheFormula() {
    let estimate = DataMemoryEstimate(GeneratedShape(samples: 1000, inputs: 6, classes: 4))
    #expect(estimate.total == 3 * 1000 * (6 + 1) * 8)
  }

  /// `data sine count=100000000000` asked for 800 GB before any check and trapped; now it
  /// is refused at the `data` statement's line with the estimate: 3·10¹¹·2·8 bytes = 4.4 TiB.
  @Test func anAbsurdGeneratorIsRefusedAtTheDataLine() throws {
    let text = "data sine count=100000000000\nlayer dense units=1\n"
    let error = #expect(throws: InputError.self) {
      try checkDataMemory(description(text), registry: registry, physicalMemory: 24 << 30)
    }
    #expect(error?.file == "gen.txt")
    #expect(error?.line == 2)
    #expect(
      error?.message
        == "the data set 'sine' needs about 4.4 TiB of memory (100 000 000 000 samples × 2 columns"
        + " × 8 bytes, 3 copies while it is split and scaled) but this machine has 24.0 GiB")
    #expect(error?.hint == "ask the generator for fewer samples")
  }

  /// 10⁹ samples (44.7 GiB) would fit in `Int` and be allocated, filling the machine: refused too.
  @Test func aBillionSamplesAreRefusedOnA24GiBMachine() throws {
    let text = "data sine count=1000000000\nlayer dense units=1\n"
    let error = #expect(throws: InputError.self) {
      try checkDataMemory(description(text), registry: registry, physicalMemory: 24 << 30)
    }
    #expect(error?.message.hasPrefix("the data set 'sine' needs about 44.7 GiB of memory") == true)
    // The same size passes where it fits.
    try checkDataMemory(description(text), registry: registry, physicalMemory: 64 << 30)
  }

  /// A count that overflows `Int` is "more than" `Int.max`, and the estimate a lower bound.
  @Test func anOverflowingSampleCountIsALowerBound() throws {
    let text = "data spirals classes=4611686018427387904 count=4\nlayer dense units=1\n"
    let error = #expect(throws: InputError.self) {
      try checkDataMemory(description(text), registry: registry)
    }
    #expect(
      error?.message.hasPrefix(
        "the data set 'spirals' needs more than 576.0 EiB of memory (more than "
          + "9 223 372 036 854 775 807 samples × 3 columns × 8 bytes,") == true)
  }

  /// A generator's own check is placed at the `data` line too; a file reader is not checked (its
  /// file bounds it), so a missing file is left for the reader to report.
  @Test func settingErrorsAreLocatedAndReadersAreSkipped() throws {
    let error = #expect(throws: InputError.self) {
      try checkDataMemory(
        description("data sine start=2 stop=1\nlayer dense units=1\n"), registry: registry)
    }
    #expect(error?.place == "gen.txt:2")
    #expect(error?.message == "sine: stop (1) must be greater than start (2)")
    try checkDataMemory(
      description("data csv path=missing.csv\nlayer dense units=1\n"), registry: registry,
      physicalMemory: 1)
  }

  /// `ModelRunner.prepare` (used by run, check, gradcheck, bench and evaluate of a checkpoint)
  /// checks before generating: without the check this test would ask for 800 GB and trap.
  @Test func prepareRefusesBeforeGenerating() throws {
    let runner = ModelRunner(registry: registry)
    let error = #expect(throws: InputError.self) {
      _ = try runner.prepare(
        description("data sine count=100000000000\nlayer dense units=1\n"))
    }
    #expect(error?.message.hasPrefix("the data set 'sine' needs about 4.4 TiB") == true)
  }
}
