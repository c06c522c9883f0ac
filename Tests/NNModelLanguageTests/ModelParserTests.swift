import Foundation
import NNProtocols
import Testing

@testable import NNModelLanguage

// MARK: - Fixtures: a registry of stand-in components

/// Stand-in components registered through the public `ComponentRegistry` API, so the parser is tested
/// without the built-in modules (written separately).
enum ModelFixtures {
  struct Activation: NNProtocols.Activation {
    var name: String
    func value<S: NNScalar>(_ z: S) -> S { z }
    func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 1 }
  }

  struct NotBuilt: Error {}

  struct LayerBuilder: NNProtocols.LayerBuilder {
    var kind: String
    var units: Int?
    func outputSize(inputSize: Int) -> Int { units ?? inputSize }
    func parameterCount(inputSize: Int) -> Int { 0 }
    func build<S: NNScalar>(
      inputSize: Int, as scalar: S.Type, using generator: inout SeededGenerator
    ) throws -> any Layer<S> { throw NotBuilt() }
  }

  struct Loss: NNProtocols.Loss {
    var name: String
    func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double { 0 }
    func gradient<S: NNScalar>(
      predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>
    ) -> Double { 0 }
  }

  struct Optimizer: NNProtocols.Optimizer {
    var name: String
    func update<S: NNScalar>(
      _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
      learningRate: Double
    ) {}
  }

  struct Initializer: NNProtocols.Initializer {
    var name: String
    func fill<S: NNScalar>(
      _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
    ) {}
  }

  struct Schedule: LearningRateSchedule {
    var name: String
    func rate(epoch: Int, totalEpochs: Int, baseRate: Double) -> Double { baseRate }
  }

  static func normal(std: Double = 0.05) -> OptionValue {
    .component(
      ComponentReference(
        kind: .initializer, name: "normal",
        options: Options([("mean", .real(0)), ("std", .real(std))])))
  }

  /// activations sigmoid, relu, tanh, identity, leaky_relu(slope); initializers normal(mean, std),
  /// zeros, scaled(base, factor) (a component inside a component); layers dense, dropout, fixed;
  /// losses mse, half_mse, mae, cross_entropy(label_smoothing); optimizers sgd, adam; schedules
  /// constant, step; datasets sine, xnor, csv(path, target, header).
  ///
  /// Made anew on each use, not kept in a `static let`: Swift stores an enum's case in the spare
  /// high bits of a pointer in its payload (`OptionValue.component` here), which LeakSanitizer does
  /// not read as a pointer, so a constant kept until exit is reported as leaked.
  static var registry: ComponentRegistry {
    var registry = ComponentRegistry()
    do {
      for name in ["sigmoid", "relu", "tanh", "identity"] {
        try registry.registerActivation(name, summary: name) { _ in Activation(name: name) }
      }
      try registry.registerActivation(
        "leaky_relu", summary: "max(slope·z, z)",
        options: [
          OptionSpec("slope", .real(minimum: 0, maximum: 1), default: .real(0.01), help: "slope")
        ]
      ) { _ in Activation(name: "leaky_relu") }

      try registry.registerInitializer(
        "normal", summary: "N(mean, std²)",
        options: [
          OptionSpec("mean", .real(), default: .real(0), help: "mean"),
          OptionSpec(
            "std", .real(minimum: 0, minimumExclusive: true), default: .real(0.05), help: "std"),
        ]
      ) { _ in Initializer(name: "normal") }
      try registry.registerInitializer("zeros", summary: "0") { _ in Initializer(name: "zeros") }
      try registry.registerInitializer(
        "scaled", summary: "another initializer, times a factor",
        options: [
          OptionSpec("base", .component(.initializer), default: nil, help: "the initializer"),
          OptionSpec("factor", .real(), default: .real(1), help: "the factor"),
        ]
      ) { _ in Initializer(name: "scaled") }

      try registry.registerLayer(
        "dense", summary: "Z = X·Wᵀ + b, A = g(Z)",
        options: [
          OptionSpec("units", .integer(1...Int.max), default: nil, help: "outputs"),
          OptionSpec(
            "activation", .component(.activation),
            default: .component(ComponentReference(kind: .activation, name: "identity")),
            help: "g"),
          OptionSpec("bias", .boolean, default: .boolean(true), help: "with a bias"),
          OptionSpec("init", .component(.initializer), default: normal(), help: "weights"),
          OptionSpec(
            "bias_init", .component(.initializer),
            default: .component(ComponentReference(kind: .initializer, name: "zeros")),
            help: "biases"),
        ]
      ) { options, _ in LayerBuilder(kind: "dense", units: options.integer("units")) }
      try registry.registerLayer(
        "dropout", summary: "drops units while training",
        options: [
          OptionSpec("rate", .real(minimum: 0, maximum: 0.99), default: .real(0.5), help: "rate")
        ]
      ) { _, _ in LayerBuilder(kind: "dropout") }
      try registry.registerLayer(
        "fixed", summary: "hand-set weights",
        options: [
          OptionSpec("weights", .realList, default: nil, help: "row-major weights"),
          OptionSpec("bias", .realList, default: .realList([]), help: "biases"),
          OptionSpec("units", .integer(1...Int.max), default: .integer(1), help: "outputs"),
          OptionSpec(
            "activation", .component(.activation),
            default: .component(ComponentReference(kind: .activation, name: "identity")),
            help: "g"),
        ]
      ) { _, _ in LayerBuilder(kind: "fixed") }

      for name in ["mse", "half_mse", "mae"] {
        try registry.registerLoss(name, summary: name) { _ in Loss(name: name) }
      }
      try registry.registerLoss(
        "cross_entropy", summary: "−Σ y log p",
        options: [
          OptionSpec(
            "label_smoothing", .real(minimum: 0, maximum: 1), default: .real(0), help: "ε")
        ]
      ) { _ in Loss(name: "cross_entropy") }

      try registry.registerOptimizer(
        "sgd", summary: "gradient descent",
        options: [
          OptionSpec(
            "lr", .real(minimum: 0, minimumExclusive: true), default: .real(0.01), help: "rate"),
          OptionSpec(
            "momentum", .real(minimum: 0, maximum: 1), default: .real(0), help: "momentum"),
          OptionSpec("nesterov", .boolean, default: .boolean(false), help: "Nesterov"),
        ]
      ) { _ in Optimizer(name: "sgd") }
      try registry.registerOptimizer(
        "adam", summary: "Adam",
        options: [
          OptionSpec(
            "lr", .real(minimum: 0, minimumExclusive: true), default: .real(0.001), help: "rate"),
          OptionSpec("beta1", .real(minimum: 0, maximum: 1), default: .real(0.9), help: "β1"),
          OptionSpec("beta2", .real(minimum: 0, maximum: 1), default: .real(0.999), help: "β2"),
        ]
      ) { _ in Optimizer(name: "adam") }

      try registry.registerSchedule("constant", summary: "η") { _ in Schedule(name: "constant") }
      try registry.registerSchedule(
        "step", summary: "η·factor^⌊epoch/every⌋",
        options: [
          OptionSpec("every", .integer(1...Int.max), default: nil, help: "epochs per step"),
          OptionSpec(
            "factor", .real(minimum: 0, minimumExclusive: true), default: .real(0.5),
            help: "factor"),
        ]
      ) { _ in Schedule(name: "step") }

      let sineOptions = [
        OptionSpec("start", .real(), default: .real(-5), help: "first x"),
        OptionSpec("stop", .real(), default: .real(5), help: "end of x (excluded)"),
        OptionSpec(
          "step", .real(minimum: 0, minimumExclusive: true), default: .real(0.1), help: "step"),
        OptionSpec("noise", .real(minimum: 0), default: .real(0), help: "noise std"),
      ]
      try registry.registerDataset("sine", summary: "sin(x)", options: sineOptions) { _, _ in
        Dataset(name: "sine", features: Matrix(rows: 1, cols: 1), targets: Matrix(rows: 1, cols: 1))
      }
      try registry.registerDataset("xnor", summary: "x1 == x2") { _, _ in
        Dataset(name: "xnor", features: Matrix(rows: 4, cols: 2), targets: Matrix(rows: 4, cols: 1))
      }
      try registry.registerDataset(
        "csv", summary: "a CSV file",
        options: [
          OptionSpec("path", .path, default: nil, help: "the file"),
          OptionSpec("target", .text(), default: .text("last"), help: "the target column"),
          OptionSpec("header", .boolean, default: .boolean(true), help: "first row names"),
        ]
      ) { _, _ in
        Dataset(name: "csv", features: Matrix(rows: 1, cols: 1), targets: Matrix(rows: 1, cols: 1))
      }
    } catch {
      preconditionFailure("test registry: \(error)")
    }
    return registry
  }

  /// A parser of `registry` (made anew on each use, as `registry`).
  static var parser: ModelParser { ModelParser(registry: registry) }
  static let base = "/models/demo"

  /// The first tutorial's sine fit.
  static let sine = """
    data sine
    layer dense units=20 activation=sigmoid init=normal(std=0.2) bias_init=normal(std=0.2)
    layer dense units=1 init=normal(std=0.2) bias_init=normal(std=0.2)
    loss half_mse
    optimizer sgd lr=0.1
    train epochs=2000 batch=full precision=double
    """

  /// Parses `text` from `model.txt` in `base`.
  static func parse(_ text: String, overrides: [String] = []) throws(InputErrors)
    -> ModelDescription
  {
    try parser.parse(text, path: "model.txt", baseDirectory: base, overrides: overrides)
  }

  /// The errors of parsing `text` (empty when it parses).
  static func errors(_ text: String, overrides: [String] = []) -> [InputError] {
    do {
      _ = try parse(text, overrides: overrides)
      return []
    } catch {
      return error.errors
    }
  }

  /// The 1-based column of the first occurrence of `fragment` in `line`.
  static func column(of fragment: String, in line: String) -> Int {
    guard let range = line.range(of: fragment) else { return 0 }
    return line.distance(from: line.startIndex, to: range.lowerBound) + 1
  }

  /// The reference inside a component value.
  static func reference(_ value: OptionValue) -> ComponentReference? {
    if case .component(let reference) = value { return reference }
    return nil
  }

  /// A minimal valid model with `line` inserted as line 3.
  static func with(_ line: String) -> String {
    "data sine\nlayer dense units=1\n\(line)\n"
  }

  /// Expects exactly one error, at `line`:`column` of `model.txt`, with `message`.
  static func expectError(
    _ text: String, line: Int?, column: Int?, _ message: String, overrides: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let errors = errors(text, overrides: overrides)
    #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
    guard let error = errors.first else { return }
    #expect(error.message == message, sourceLocation: sourceLocation)
    #expect(error.line == line, sourceLocation: sourceLocation)
    #expect(error.column == column, sourceLocation: sourceLocation)
    #expect(error.file == "model.txt", sourceLocation: sourceLocation)
  }
}

// MARK: - Parsing

@Suite("ModelParser")
struct ModelParserTests {
  typealias F = ModelFixtures

  @Test("the first tutorial's sine fit parses, every option filled in")
  func sineFit() throws {
    let model = try F.parse(F.sine)
    #expect(model.sourcePath == "model.txt")
    #expect(model.baseDirectory == F.base)
    #expect(model.data.name == "sine")
    #expect(model.data.kind == .dataset)
    #expect(model.data.options.real("step") == 0.1)
    #expect(model.data.options.real("start") == -5)
    #expect(model.layers.count == 2)
    let hidden = model.layers[0]
    #expect(hidden.name == "dense")
    #expect(hidden.options.integer("units") == 20)
    #expect(hidden.options.component("activation").name == "sigmoid")
    #expect(hidden.options.component("init").options.real("std") == 0.2)
    #expect(hidden.options.component("init").options.real("mean") == 0)
    #expect(hidden.options.component("bias_init").name == "normal")
    #expect(hidden.options.boolean("bias") == true)
    #expect(model.layers[1].options.integer("units") == 1)
    #expect(model.layers[1].options.component("activation").name == "identity")
    #expect(model.loss?.name == "half_mse")
    #expect(model.optimizer?.name == "sgd")
    #expect(model.optimizer?.options.real("lr") == 0.1)
    #expect(model.optimizer?.options.real("momentum") == 0)
    #expect(model.schedule == nil)
    #expect(model.training.epochs == 2000)
    #expect(model.training.batchSize == nil)
    #expect(model.training.precision == .double)
    #expect(model.earlyStopping == nil)
    #expect(model.initialWeights == nil)
  }

  @Test("the documentation's complete example is the sine fit")
  func documentedExample() throws {
    let documentation = try String(contentsOf: ModelStatementsTests.documentation, encoding: .utf8)
    let section = try #require(documentation.range(of: "## A complete example"))
    let rest = documentation[section.upperBound...]
    let opening = try #require(rest.range(of: "```\n"))
    let closing = try #require(rest[opening.upperBound...].range(of: "```"))
    let example = String(rest[opening.upperBound..<closing.lowerBound])
    #expect(try F.parse(example) == F.parse(F.sine))
  }

  @Test("absent statements and keys take their documented defaults")
  func defaults() throws {
    let model = try F.parse("data xnor\nlayer dense units=1\n")
    #expect(model.split == SplitSettings(validation: 0, test: 0, stratify: true, shuffle: true))
    #expect(model.preprocessing == PreprocessSettings(features: .none, targets: .none))
    #expect(
      model.training
        == TrainingSettings(
          epochs: 100, batchSize: 32, seed: 0, precision: .float, shuffle: true, clipNorm: 0,
          weightDecay: 0, threads: 0))
    #expect(model.outputs == OutputSettings())
    #expect(model.loss == nil && model.optimizer == nil && model.schedule == nil)
    #expect(model.earlyStopping == nil && model.initialWeights == nil)
    let dense = model.layers[0].options
    #expect(dense.component("init") == F.reference(F.normal()))
    #expect(dense.component("bias_init").name == "zeros")
    // The statements' own defaults match the declared specs.
    let empty = try F.parse(
      "data xnor\nlayer dense units=1\nsplit\npreprocess\ntrain\nearly_stopping monitor=loss\noutput\n"
    )
    #expect(empty.split == SplitSettings())
    #expect(empty.training == TrainingSettings())
    #expect(empty.earlyStopping == EarlyStoppingSettings(monitor: "loss"))
    #expect(empty.outputs == OutputSettings())
  }

  @Test("every statement and every key parses")
  func everyStatementAndKey() throws {
    let model = try F.parse(
      """
      data csv path=data/train.csv target=label header=false
      split validation=0.2 test=0.1 stratify=false shuffle=false
      preprocess features=standardize targets=minmax
      layer dense units=8 activation=leaky_relu(slope=0.2) bias=false init=zeros bias_init=zeros
      layer dropout rate=0.25
      layer fixed weights=1,0,-1.5,2e-1 bias=0.5 units=2 activation=tanh
      loss cross_entropy label_smoothing=0.1
      optimizer adam lr=1e-3 beta1=0.8 beta2=0.99
      schedule step every=10 factor=0.1
      train epochs=5 batch=16 seed=42 precision=float shuffle=false clip_norm=1.5 weight_decay=1e-4 threads=2
      early_stopping patience=3 min_delta=0.001 monitor=val_loss restore_best=false
      weights from=init.safetensors
      output checkpoint=out/model.safetensors plot_loss=loss.svg plot_fit=fit.svg plot_regions=regions.svg plot_gradients=gradients.svg predictions=predictions.csv
      """)
    #expect(model.data.options.text("path") == "/models/demo/data/train.csv")
    #expect(model.data.options.text("target") == "label")
    #expect(model.data.options.boolean("header") == false)
    #expect(
      model.split == SplitSettings(validation: 0.2, test: 0.1, stratify: false, shuffle: false))
    #expect(model.preprocessing == PreprocessSettings(features: .standardize, targets: .minmax))
    #expect(model.layers.map(\.name) == ["dense", "dropout", "fixed"])
    #expect(model.layers[0].options.component("activation").options.real("slope") == 0.2)
    #expect(model.layers[0].options.boolean("bias") == false)
    #expect(model.layers[1].options.real("rate") == 0.25)
    #expect(model.layers[2].options.realList("weights") == [1, 0, -1.5, 0.2])
    #expect(model.layers[2].options.realList("bias") == [0.5])
    #expect(model.loss?.options.real("label_smoothing") == 0.1)
    #expect(model.optimizer?.name == "adam")
    #expect(model.optimizer?.options.real("lr") == 0.001)
    #expect(model.optimizer?.options.real("beta1") == 0.8)
    #expect(model.schedule?.options.integer("every") == 10)
    #expect(
      model.training
        == TrainingSettings(
          epochs: 5, batchSize: 16, seed: 42, precision: .float, shuffle: false, clipNorm: 1.5,
          weightDecay: 1e-4, threads: 2))
    #expect(
      model.earlyStopping
        == EarlyStoppingSettings(
          patience: 3, minDelta: 0.001, monitor: "val_loss", restoreBest: false))
    #expect(model.initialWeights == "/models/demo/init.safetensors")
    #expect(
      model.outputs
        == OutputSettings(
          checkpoint: "/models/demo/out/model.safetensors", save: true,
          plotLoss: "/models/demo/loss.svg", plotFit: "/models/demo/fit.svg",
          plotRegions: "/models/demo/regions.svg", plotGradients: "/models/demo/gradients.svg",
          predictions: "/models/demo/predictions.csv"))
  }

  @Test("checkpoint=none turns saving off; checkpoint=auto is the default place")
  func checkpointWords() throws {
    let none = try F.parse(F.with("output checkpoint=none"))
    #expect(none.outputs.save == false && none.outputs.checkpoint == nil)
    let auto = try F.parse(F.with("output checkpoint=auto plot_fit=none"))
    #expect(auto.outputs.save == true && auto.outputs.checkpoint == nil)
    #expect(auto.outputs.plotFit == nil)
    let quoted = try F.parse(F.with(#"output checkpoint="none""#))
    #expect(quoted.outputs.checkpoint == "/models/demo/none" && quoted.outputs.save)
  }

  @Test("CRLF, tabs, trailing spaces, end-of-line comments and blank lines all work")
  func whitespaceAndComments() throws {
    let messy =
      "# the sine fit\r\n\r\n  data sine   # generated\r\n\tlayer\tdense\tunits=20\tactivation=sigmoid"
      + "\tinit=normal(std=0.2)\tbias_init=normal(std=0.2)   \r\n   \r\n"
      + "layer dense units=1 init=normal( std=0.2 ) bias_init=normal(std=0.2 )#no space\r\n"
      + "loss half_mse\t\t\r\n# a comment line\r\noptimizer sgd lr=0.1 # learning rate\r\n"
      + "train epochs=2000 batch=full precision=double\r\n\r\n"
    #expect(try F.parse(messy) == F.parse(F.sine))
    // A lone CR also ends a line; a byte-order mark is ignored.
    let classic = "\u{FEFF}" + F.sine.replacingOccurrences(of: "\n", with: "\r")
    #expect(try F.parse(classic) == F.parse(F.sine))
  }

  @Test("quoted paths may hold spaces and '#'; relative paths resolve against the model's folder")
  func quotedAndRelativePaths() throws {
    let model = try F.parse(
      #"""
      data csv path="my data/train #3.csv" # a comment after a quoted value
      layer dense units=1
      weights from=../shared/start.safetensors
      output plot_loss=/tmp/loss.svg plot_fit=./plots/./fit.svg predictions="with \"quotes\".csv"
      """#)
    #expect(model.data.options.text("path") == "/models/demo/my data/train #3.csv")
    #expect(model.initialWeights == "/models/shared/start.safetensors")
    #expect(model.outputs.plotLoss == "/tmp/loss.svg")
    #expect(model.outputs.plotFit == "/models/demo/plots/fit.svg")
    #expect(model.outputs.predictions == #"/models/demo/with "quotes".csv"#)
  }

  @Test("a relative base folder is made absolute from the current directory")
  func relativeBase() throws {
    let model = try F.parser.parse(
      "data csv path=x.csv\nlayer dense units=1", path: nil, baseDirectory: "sub")
    let current = FileManager.default.currentDirectoryPath
    #expect(model.baseDirectory == ModelDescription.absolutePath("sub", base: current))
    #expect(model.data.options.text("path") == model.baseDirectory + "/x.csv")
  }

  @Test("component values nest: a component option inside a component option")
  func nestedComponents() throws {
    let model = try F.parse(
      F.with("layer dense units=2 init=scaled(base=normal(mean=1, std=0.5), factor=3)"))
    let initializer = model.layers[1].options.component("init")
    #expect(initializer.kind == .initializer)
    #expect(initializer.name == "scaled")
    #expect(initializer.options.real("factor") == 3)
    let base = initializer.options.component("base")
    #expect(
      base
        == ComponentReference(
          kind: .initializer, name: "normal",
          options: Options([("mean", .real(1)), ("std", .real(0.5))])))
    // Errors two levels down point at the nested token.
    let line = "layer dense units=2 init=scaled(base=normal(std=0), factor=3)"
    F.expectError(
      F.with(line), line: 3, column: F.column(of: "0)", in: line),
      "initializer 'normal' option 'std': expected a real number > 0, got 0")
  }

  @Test("numbers: integers, decimals, exponents and signs; integral reals count as integers")
  func numbers() throws {
    let model = try F.parse(F.with("train epochs=1e3 seed=+7 clip_norm=.5 weight_decay=2E-2"))
    #expect(model.training.epochs == 1000)
    #expect(model.training.seed == 7)
    #expect(model.training.clipNorm == 0.5)
    #expect(model.training.weightDecay == 0.02)
    F.expectError(
      F.with("train epochs=2.5"), line: 3, column: 14,
      "statement 'train' option 'epochs': expected an integer ≥ 0, got '2.5'")
    F.expectError(
      F.with("optimizer sgd lr=nan"), line: 3, column: 18,
      "optimizer 'sgd' option 'lr': expected a real number > 0, got 'nan'")
    F.expectError(
      F.with("optimizer sgd lr=0x10"), line: 3, column: 18,
      "optimizer 'sgd' option 'lr': expected a real number > 0, got '0x10'")
  }

  @Test("a byte that is not UTF-8, or a NUL byte, is reported at its line and column")
  func notText() throws {
    func error(_ bytes: [UInt8]) -> InputError? {
      do {
        _ = try ModelParser.text(of: bytes, file: "m.txt")
        return nil
      } catch {
        return error as? InputError
      }
    }
    let invalid = error(
      Array("data sine\r\nlayer dense act=sigm".utf8) + [0xFF] + Array("x\n".utf8))
    #expect(
      invalid?.description
        == "m.txt:2:21: error: cannot read the model file: the byte 0xFF is not UTF-8 at line 2,"
        + " column 21 (byte offset 31); a model file is UTF-8 text\n    layer dense act=sigm…\n"
        + "                        ^")
    let nul = error(Array("é\n\rab".utf8) + [0])
    #expect(nul?.line == 3)
    #expect(nul?.column == 3)
    #expect(
      nul?.message.hasPrefix("cannot read the model file: a NUL byte at line 3, column 3") == true)
    #expect(try ModelParser.text(of: Array("layer dense\n".utf8), file: "m.txt") == "layer dense\n")
  }

  // MARK: Errors

  @Test("did you mean: statement keywords, component names of every kind, keys")
  func didYouMean() {
    F.expectError(
      F.with("optimiser sgd"), line: 3, column: 1,
      "unknown statement 'optimiser'; did you mean 'optimizer'?")
    F.expectError(
      F.with("early_stoping patience=3"), line: 3, column: 1,
      "unknown statement 'early_stoping'; did you mean 'early_stopping'?")
    F.expectError(
      "data sin\nlayer dense units=1", line: 1, column: 6,
      "unknown dataset 'sin'; did you mean 'sine'?")
    F.expectError(
      "data sine\nlayer dens units=1", line: 2, column: 7,
      "unknown layer 'dens'; did you mean 'dense'?")
    F.expectError(
      "data sine\nlayer dense units=20 activation=sigmod", line: 2, column: 33,
      "unknown activation 'sigmod'; did you mean 'sigmoid'?")
    F.expectError(
      F.with("loss msee"), line: 3, column: 6, "unknown loss 'msee'; did you mean 'mse'?")
    F.expectError(
      F.with("optimizer adm"), line: 3, column: 11, "unknown optimizer 'adm'; did you mean 'adam'?")
    F.expectError(
      F.with("schedule stepp every=2"), line: 3, column: 10,
      "unknown schedule 'stepp'; did you mean 'step'?")
    F.expectError(
      F.with("layer dense units=1 init=normall(std=0.2)"), line: 3, column: 26,
      "unknown initializer 'normall'; did you mean 'normal'?")
    F.expectError(
      F.with("layer dense units=3 activaton=relu"), line: 3, column: 21,
      "unknown option 'activaton' for layer 'dense'; did you mean 'activation'?")
    F.expectError(
      F.with("train epoch=10"), line: 3, column: 7,
      "unknown option 'epoch' for statement 'train'; did you mean 'epochs'?")
    F.expectError(
      F.with("train precision=doubel"), line: 3, column: 17,
      "statement 'train' option 'precision': expected one of 'float', 'double', got 'doubel'; "
        + "did you mean 'double'?")
  }

  @Test("names far from every known one list the choices instead")
  func noCloseName() {
    F.expectError(
      F.with("frobnicate x=1"), line: 3, column: 1,
      "unknown statement 'frobnicate'; expected one of: data, split, preprocess, layer, loss, "
        + "optimizer, schedule, train, early_stopping, weights, output")
    F.expectError(
      F.with("optimizer rprop"), line: 3, column: 11,
      "unknown optimizer 'rprop'; expected one of: adam, sgd")
    F.expectError(
      F.with("loss mse reduction=sum"), line: 3, column: 10,
      "unknown option 'reduction' for loss 'mse'; it has none")
    F.expectError(
      F.with("optimizer sgd zzzz=1"), line: 3, column: 15,
      "unknown option 'zzzz' for optimizer 'sgd'; expected one of: lr, momentum, nesterov")
  }

  @Test("a name registered under another kind says so in a note")
  func otherKind() {
    let errors = F.errors(F.with("layer dense units=1 activation=dropout"))
    #expect(
      errors.map(\.message) == [
        "unknown activation 'dropout'; expected one of: identity, leaky_relu, relu, sigmoid, tanh"
      ])
    #expect(errors.first?.hint == "'dropout' is a layer, not an activation")
    #expect(
      errors.first?.description.hasSuffix("\nnote: 'dropout' is a layer, not an activation") == true
    )
    #expect(F.errors(F.with("layer dense units=1 activation=sigmod")).first?.hint == nil)
  }

  @Test("the parser words component problems exactly as the registry does")
  func sameWordingAsRegistry() {
    func registryMessages(
      _ kind: ComponentKind, _ name: String, _ key: String, _ value: OptionValue
    )
      -> [String]
    {
      guard
        case .failure(let problems) = F.registry.resolveOptions(
          of: kind, named: name, given: [(key, value)])
      else { return [] }
      return problems.problems.map(\.message)
    }
    #expect(
      F.errors(F.with("optimizer sgd lrr=0.1")).map(\.message)
        == registryMessages(.optimizer, "sgd", "lrr", .real(0.1)))
    #expect(
      F.errors(F.with("optimizer sgd lr=-1")).map(\.message)
        == registryMessages(.optimizer, "sgd", "lr", .real(-1)))
    #expect(
      F.errors(F.with("optimizer sgd nesterov=maybe")).map(\.message)
        == registryMessages(.optimizer, "sgd", "nesterov", .text("maybe")))
    #expect(
      F.errors(F.with("schedule step")).map(\.message)
        == registryMessages(.schedule, "step", "factor", .real(1)))
  }

  /// Malformed files: each with its exact message, line and column.
  static let malformed: [(text: String, line: Int?, column: Int?, message: String)] = [
    (
      "", nil, nil,
      "the model description is empty; it needs a 'data' statement and at least one 'layer'"
    ),
    (
      "# only a comment\n\n   \n", nil, nil,
      "the model description is empty; it needs a 'data' statement and at least one 'layer'"
    ),
    (
      "layer dense units=1\n", nil, nil,
      "the model has no 'data' statement; add 'data NAME key=value…' (nnpipe list shows the data sets)"
    ),
    (
      "data sine\n", nil, nil,
      "the model has no 'layer' statement; add at least one, e.g. 'layer dense units=1'"
    ),
    (
      F.with("train epochs=ten"), 3, 14,
      "statement 'train' option 'epochs': expected an integer ≥ 0, got 'ten'"
    ),
    (
      F.with("optimizer sgd lr=-0.1"), 3, 18,
      "optimizer 'sgd' option 'lr': expected a real number > 0, got -0.1"
    ),
    (
      F.with("train batch=0"), 3, 13,
      "statement 'train' option 'batch': expected an integer ≥ 1 or 'full', got 0"
    ),
    (
      F.with("train batch=all"), 3, 13,
      "statement 'train' option 'batch': expected an integer ≥ 1 or 'full', got 'all'"
    ),
    (
      F.with("split shuffle=yes"), 3, 15,
      "statement 'split' option 'shuffle': expected true or false, got 'yes'"
    ),
    (
      F.with("split validation=1.5"), 3, 18,
      "statement 'split' option 'validation': expected a real number in [0, 1], got 1.5"
    ),
    (
      F.with("split validation=0.5 test=0.5"), 3, 1,
      "split: validation + test must be less than 1 to leave training data, got 0.5 + 0.5"
    ),
    (F.with("optimizer sgd lr=0.1 lr=0.2"), 3, 22, "option 'lr' is given twice"),
    (
      F.with("layer dense units=1 init=normal(std=0.1, std=0.2)"), 3, 42,
      "option 'std' is given twice"
    ),
    (
      "data sine\ntrain epochs=1\nlayer dense units=1\ntrain epochs=2\n", 4, 1,
      "the 'train' statement is given twice (the first is on line 2)"
    ),
    (
      "data sine\ndata xnor\nlayer dense units=1\n", 2, 1,
      "the 'data' statement is given twice (the first is on line 1)"
    ),
    (
      F.with("layer dense activation=relu"), 3, 7,
      "layer 'dense' needs option 'units' (an integer ≥ 1)"
    ),
    ("data csv\nlayer dense units=1", 1, 6, "dataset 'csv' needs option 'path' (a file path)"),
    (F.with("weights"), 3, 1, "statement 'weights' needs option 'from' (a file path)"),
    (F.with("optimizer sgd lr="), 3, 18, "missing value after 'lr='"),
    (F.with("optimizer sgd =0.1"), 3, 15, "missing key before '='"),
    (F.with("optimizer sgd lr=0.1 ="), 3, 22, "stray '='"),
    (
      F.with("optimizer sgd lr=0.1=0.2"), 3, 21,
      "stray '=' in the value of 'lr'; quote a value that contains '='"
    ),
    (F.with("optimizer sgd lr =0.1"), 3, 18, "unexpected space around '='; write 'lr=0.1'"),
    (F.with("optimizer sgd lr = 0.1"), 3, 18, "unexpected space around '='; write 'lr=0.1'"),
    (F.with("optimizer sgd lr= 0.1"), 3, 18, "unexpected space after '='; write 'lr=0.1'"),
    (F.with("train 100"), 3, 7, "expected key=value, got '100'"),
    (F.with("optimizer sgd lr=0.1 0.2"), 3, 22, "expected key=value, got '0.2'"),
    (
      F.with("epochs=100"), 3, 1,
      "a line must start with a statement keyword, not 'epochs=100'; 'epochs' is an option of 'train'"
    ),
    (
      F.with("layer units=3"), 3, 7,
      "missing the layer name after 'layer': write 'layer NAME key=value…'"
    ),
    (F.with("loss"), 3, 5, "missing the loss name after 'loss': write 'loss NAME key=value…'"),
    (
      F.with("layer dense(units=3)"), 3, 12,
      "write the options of a layer as key=value after its name: 'layer dense key=value'"
    ),
    (
      F.with(#"weights from="my file.safetensors"#), 3, 14,
      "unterminated quoted string; add the closing '\"'"
    ),
    (F.with(#"weights from="a"b"#), 3, 17, "unexpected text after the closing '\"': 'b'"),
    (
      F.with(#"weights from=a"b""#), 3, 15,
      "unexpected '\"' inside a value; put the whole value in quotes"
    ),
    (
      F.with("layer dense units=1 activation=leaky_relu(slope=0.1"), 3, 42,
      "unbalanced parentheses: this '(' is never closed"
    ),
    (
      F.with("layer dense units=1 activation=leaky_relu(slope=0.1))"), 3, 53,
      "unbalanced parentheses: this ')' has no matching '('"
    ),
    (
      F.with("layer dense units=1 activation=leaky_relu(slope=0.1 # comment)"), 3, 42,
      "unbalanced parentheses: this '(' is never closed"
    ),
    (
      F.with("layer dense units=1 init=normal(std=0.2 mean=0)"), 3, 41,
      "expected ',' or ')' after the value of 'std'"
    ),
    (
      F.with("layer dense units=1 init=normal(std)"), 3, 33,
      "expected key=value inside the parentheses, got 'std'"
    ),
    (F.with("layer dense units=1 init=normal(std=0.2,)"), 3, 41, "expected key=value after ','"),
    (F.with("layer dense units=1 init=normal(=0.2)"), 3, 33, "missing key before '='"),
    (F.with("layer dense units=1 init=normal(std=)"), 3, 37, "missing value after 'std='"),
    (F.with("layer dense units=1 init=normal(std=0.2)x"), 3, 41, "unexpected text after ')': 'x'"),
    (
      F.with("layer dense units=1 activation=\"relu\""), 3, 32,
      "layer 'dense' option 'activation': expected the name of a registered activation, got 'relu'"
    ),
    (
      F.with("layer fixed weights=1,2,x"), 3, 21,
      "layer 'fixed' option 'weights': expected a comma-separated list of numbers, got '1,2,x'"
    ),
    (
      F.with("early_stopping patience=5"), 3, 1,
      "early_stopping monitors 'val_loss' but there is no validation split; "
        + "add 'split validation=0.2' or use monitor=loss"
    ),
    (
      F.with("early_stopping monitor=val_loss"), 3, 24,
      "early_stopping monitors 'val_loss' but there is no validation split; "
        + "add 'split validation=0.2' or use monitor=loss"
    ),
    (
      F.with("early_stopping patience=0 monitor=loss"), 3, 25,
      "statement 'early_stopping' option 'patience': expected an integer ≥ 1, got 0"
    ),
    (
      F.with("preprocess features=normalize"), 3, 21,
      "statement 'preprocess' option 'features': expected one of 'none', 'standardize', 'minmax', "
        + "got 'normalize'"
    ),
    (
      F.with("train seed=-1"), 3, 12,
      "statement 'train' option 'seed': expected an integer ≥ 0, got -1"
    ),
    (F.with("Data sine"), 3, 1, "unknown statement 'Data'; did you mean 'data'?"),
  ]

  @Test("malformed files: exact message, line and column", arguments: 0..<malformed.count)
  func malformedFile(_ index: Int) {
    let (text, line, column, message) = Self.malformed[index]
    F.expectError(text, line: line, column: column, message)
  }

  @Test("random text never crashes; every error points inside its line; valid text round-trips")
  func randomText() throws {
    let pieces = [
      "data", "sine", "csv", "layer", "dense", "units", "=", "=", "1", "20", "-3", "0.5", "(", ")",
      ",", "\"", "#", " ", " ", " ", "\t", "activation", "sigmoid", "init", "normal", "std",
      "train",
      "epochs", "batch", "full", "optimizer", "sgd", "lr", "output", "plot_fit", "a b", "\\", "1,2",
      "leaky_relu(slope=0.2)", "split", "validation", "\n", "\r\n", "\n",
    ]
    var generator = SeededGenerator(seed: 7)
    let printer = ModelPrinter(registry: F.registry)
    var parsed = 0
    for _ in 0..<1000 {
      let count = Int.random(in: 0..<40, using: &generator)
      var text = "data sine\nlayer dense units=1\n"
      for _ in 0..<count { text += pieces.randomElement(using: &generator)! }
      let lines = ModelLexer.lines(of: text).map { String($0) }
      do {
        let model = try F.parse(text)
        parsed += 1
        let again = try F.parser.parse(
          printer.resolvedText(model), path: "model.txt", baseDirectory: F.base)
        #expect(again == model, "\(text)")
      } catch {
        #expect(!error.errors.isEmpty)
        for problem in error.errors {
          guard let line = problem.line else { continue }
          #expect((1...lines.count).contains(line), "\(problem)")
          #expect(problem.sourceLine == lines[line - 1], "\(problem)")
          let column = try #require(problem.column)
          #expect((1...(lines[line - 1].count + 1)).contains(column), "\(text)\n\(problem)")
        }
      }
    }
    #expect(parsed > 30)  // the generator does produce valid files too
  }

  @Test("an error shows its source line with a caret under the column")
  func caret() {
    let line = "\tlayer dense units=20 activation=sigmod # hidden"
    let errors = F.errors("data sine\n\(line)\n")
    #expect(errors.count == 1)
    // The tab counts as one column and is kept in the caret's padding.
    let padding = "\t" + String(repeating: " ", count: 32)
    #expect(
      errors.first?.description
        == "model.txt:2:34: error: unknown activation 'sigmod'; did you mean 'sigmoid'?\n"
        + "    \(line)\n    \(padding)^")
  }

  @Test("CRLF files report the right line and column, without the CR in the shown line")
  func crlfErrors() {
    let errors = F.errors("data sine\r\nlayer dense units=0\r\n")
    #expect(errors.count == 1)
    #expect(errors.first?.line == 2)
    #expect(errors.first?.column == 19)
    #expect(errors.first?.sourceLine == "layer dense units=0")
  }

  @Test("every error in the file is reported in one pass, in order")
  func manyErrors() {
    let errors = F.errors(
      """
      data sin
      layer dense units=0 activation=sigmod
      optimiser sgd
      layer dropout rate=2 # too high
      train epochs=-1 batch=full batch=2
      output plot_fit="unterminated
      """)
    let expected: [(Int, Int, String)] = [
      (1, 6, "unknown dataset 'sin'; did you mean 'sine'?"),
      (2, 19, "layer 'dense' option 'units': expected an integer ≥ 1, got 0"),
      (2, 32, "unknown activation 'sigmod'; did you mean 'sigmoid'?"),
      (3, 1, "unknown statement 'optimiser'; did you mean 'optimizer'?"),
      (4, 20, "layer 'dropout' option 'rate': expected a real number in [0, 0.99], got 2"),
      (5, 14, "statement 'train' option 'epochs': expected an integer ≥ 0, got -1"),
      (5, 28, "option 'batch' is given twice"),
      (6, 17, "unterminated quoted string; add the closing '\"'"),
    ]
    #expect(errors.count == expected.count, "\(errors)")
    for (error, (line, column, message)) in zip(errors, expected) {
      #expect(error.line == line)
      #expect(error.column == column)
      #expect(error.message == message)
    }
  }
}
