import NNProtocols

extension ComponentRegistry {
  /// Registers every built-in data set under its name, with its declared options:
  ///
  /// - generators: `sine`, `and`, `or`, `xor`, `xnor`, `regions`, `circles`, `moons`, `spirals`,
  ///   `blobs`, `linear`;
  /// - file readers: `csv`, `fann`, `idx`.
  ///
  /// A generator's `seed` defaults to `run`: the run's seed from `DatasetContext`. File paths are
  /// resolved against `DatasetContext.baseDirectory` (the model file's folder).
  ///
  /// - Throws: `DuplicateName` when one of these names is already registered.
  public mutating func registerBuiltinDatasets() throws {
    for generator in Self.builtinGenerators {
      let make = generator.make
      try registerDataset(generator.name, summary: generator.summary, options: generator.options) {
        options, context in try make(options, context).generate()
      }
    }

    try registerDataset(
      "csv", summary: "a CSV file: numeric features; numeric targets or class labels",
      options: [
        OptionSpec("path", .path, default: nil, help: "the file (relative to the model file)"),
        OptionSpec(
          "header", .text(choices: CSVReader.Header.allCases.map(\.rawValue)),
          default: .text("auto"),
          help: "whether line 1 names the columns (auto: when a cell is text above a number)"),
        OptionSpec(
          "delimiter", .text(), default: .text(","),
          help: "the cell separator: one character, or comma, semicolon, tab, space, pipe"),
        OptionSpec(
          "features", .text(), default: .text(""),
          help: "feature columns: names, 1-based positions or ranges a-b, comma-separated"
            + " (default: every column but the targets)"),
        OptionSpec(
          "target", .text(), default: .text(""),
          help: "the target column(s), by name or position (default: the last column; none:"
            + " unlabelled)"),
        OptionSpec(
          "targets", .text(), default: .text(""),
          help: "several target columns, comma-separated (same as target)"),
        OptionSpec(
          "task", .text(choices: CSVReader.Task.allCases.map(\.rawValue)), default: .text("auto"),
          help: "auto: text targets are class labels, numbers are regression targets;"
            + " classification: numeric labels are classes too"),
      ]
    ) { options, context in
      let path = options.text("path")
      let target = options.optionalText("target")
      let targets = options.optionalText("targets")
      if target != nil, targets != nil {
        throw InputError(
          file: path, "csv: give target=\(target!) or targets=\(targets!), not both")
      }
      let targetText = target ?? targets
      let reader = CSVReader(
        header: CSVReader.Header(rawValue: options.text("header"))!,
        delimiter: try Self.located(path) {
          try CSVReader.delimiter(named: options.text("delimiter"))
        },
        features: try Self.located(path) {
          try options.optionalText("features").map(ColumnSelector.parseList)
        },
        targets: try Self.located(path) {
          try targetText.map { $0 == "none" ? [] : try ColumnSelector.parseList($0) }
        },
        task: CSVReader.Task(rawValue: options.text("task"))!)
      return try reader.read(path: path, baseDirectory: context.baseDirectory)
    }

    try registerDataset(
      "fann", summary: "a FANN .data file: 'count inputs outputs', then input and output lines",
      options: [
        OptionSpec("path", .path, default: nil, help: "the file (relative to the model file)")
      ]
    ) { options, context in
      try FANNReader().read(path: options.text("path"), baseDirectory: context.baseDirectory)
    }

    try registerDataset(
      "idx", summary: "IDX image and label files (MNIST, Fashion-MNIST), uncompressed",
      options: [
        OptionSpec(
          "images", .path, default: nil, help: "the images file, e.g. train-images-idx3-ubyte"),
        OptionSpec(
          "labels", .path, default: .text(""),
          help: "the labels file, e.g. train-labels-idx1-ubyte (default: none, unlabelled)"),
        OptionSpec(
          "normalize", .boolean, default: .boolean(false),
          help: "divide byte pixels by 255 (ubyte) or 128 (sbyte); default: raw values"),
        OptionSpec(
          "classes", .integerOrWord(1...Int.max, words: ["auto"]), default: .text("auto"),
          help: "the number of classes ('auto': the largest label + 1)"),
      ]
    ) { options, context in
      try IDXReader(
        normalize: options.boolean("normalize"), classes: Self.optionalInteger(options, "classes")
      ).read(
        images: options.text("images"), labels: options.optionalText("labels"),
        baseDirectory: context.baseDirectory)
    }
  }

  /// The shape of the data set `reference` names, from its options alone, when it is one of the
  /// built-in generators (see `DataGenerator.shape()`): nothing is generated, so a program can
  /// refuse a size the machine cannot hold before allocating it.
  ///
  /// - Returns: `nil` for a file reader (the file bounds its size), a name this registry does not
  ///   hold, or a data set registered under a built-in name with other options.
  /// - Throws: `InputError` for invalid settings, as generating would.
  public func generatedShape(_ reference: ComponentReference, context: DatasetContext) throws
    -> GeneratedShape?
  {
    guard let generator = Self.builtinGenerators.first(where: { $0.name == reference.name }),
      let entry = datasets[reference.name], entry.options == generator.options
    else { return nil }
    return try generator.make(reference.options, context).shape()
  }

  /// A built-in generator: its name, summary and options, and how its settings come from the
  /// resolved options and the run's context.
  struct BuiltinGenerator: Sendable {
    var name: String
    var summary: String
    var options: [OptionSpec]
    var make: @Sendable (Options, DatasetContext) throws -> any DataGenerator

    init(
      _ name: String, summary: String, options: [OptionSpec],
      make: @escaping @Sendable (Options, DatasetContext) throws -> any DataGenerator
    ) {
      self.name = name
      self.summary = summary
      self.options = options
      self.make = make
    }
  }

  /// The truth tables `and`, `or`, `xor`, `xnor`.
  static let logicTables: [BuiltinGenerator] =
    LogicTableGenerator.Operation.allCases.map { operation in
      let formula =
        switch operation {
        case .and: "x1 AND x2"
        case .or: "x1 OR x2"
        case .xor: "x1 XOR x2 (1 when the inputs differ)"
        case .xnor: "x1 XNOR x2 (1 when the inputs are equal; the second tutorial)"
        }
      return BuiltinGenerator(
        operation.rawValue, summary: "the 4-row truth table of \(formula)",
        options: [
          OptionSpec(
            "encoding", .text(choices: LogicTableGenerator.Encoding.allCases.map(\.rawValue)),
            default: .text("binary"), help: "false/true as 0/1 (binary) or -1/+1 (bipolar)"),
          OptionSpec(
            "constant", .boolean, default: .boolean(false),
            help: "add a constant-1 input column, in place of biases"),
          OptionSpec(
            "classes", .boolean, default: .boolean(false),
            help: "a 2-class classification instead of a regression target"),
        ]
      ) { options, _ in
        LogicTableGenerator(
          operation, encoding: LogicTableGenerator.Encoding(rawValue: options.text("encoding"))!,
          constant: options.boolean("constant"), classes: options.boolean("classes")
        )
      }
    }

  /// Every built-in generator, in registration order.
  static let builtinGenerators: [BuiltinGenerator] =
    [
      BuiltinGenerator(
        "sine", summary: "y = sin x on a grid; default x = -5, -4.9, ..., 4.9 (the first tutorial)",
        options: [
          OptionSpec("start", .real(), default: .real(-5), help: "the first x"),
          OptionSpec("stop", .real(), default: .real(5), help: "the end of the range (excluded)"),
          OptionSpec(
            "step", .real(minimum: 0, minimumExclusive: true), default: .real(0.1),
            help: "the spacing of x, each x computed as start + i*step"),
          OptionSpec(
            "count", .integerOrWord(1...Int.max, words: ["auto"]), default: .text("auto"),
            help: "the number of samples instead of step ('auto': from step)"),
          OptionSpec(
            "noise", .real(minimum: 0), default: .real(0),
            help: "standard deviation of Gaussian noise added to y"),
          Self.seedOption,
        ]
      ) { options, context in
        SineGenerator(
          start: options.real("start"), stop: options.real("stop"), step: options.real("step"),
          count: Self.optionalInteger(options, "count"), noise: options.real("noise"),
          seed: Self.seed(options, context)
        )
      }
    ] + logicTables + [
      BuiltinGenerator(
        "regions",
        summary:
          "random 2-D points labelled s1...s4 by the perceptrons' lines x1 + x2 = 1 and x2 = 1 (the"
          + " second tutorial's figure)",
        options: [
          Self.countOption(200, minimum: 1),
          OptionSpec(
            "range", .realList, default: .realList([-1, 3]),
            help: "low,high: the square the points are drawn from (must contain 1)"),
          OptionSpec(
            "labels", .text(choices: RegionsGenerator.Labels.allCases.map(\.rawValue)),
            default: .text("regions"),
            help:
              "regions: classes s1 (p1<=0,p2<=0) s2 (p1<=0,p2>0) s3 (p1>0,p2<=0) s4 (both >0) with"
              + " p1 = x1+x2-1, p2 = 1-x2; conjunction: +1 in s4, -1 elsewhere"),
          OptionSpec(
            "constant", .boolean, default: .boolean(false),
            help: "append a constant-1 input column (the tutorial's [x1 x2 1] rows)"),
          Self.seedOption,
        ]
      ) { options, context in
        let (lower, upper) = try Self.range(options, "regions")
        return RegionsGenerator(
          count: options.integer("count"), lower: lower, upper: upper,
          labels: RegionsGenerator.Labels(rawValue: options.text("labels"))!,
          seed: Self.seed(options, context), constant: options.boolean("constant")
        )
      },
      BuiltinGenerator(
        "circles",
        summary: "two concentric noisy circles, 2 classes (as scikit-learn's make_circles)",
        options: [
          Self.countOption(200, minimum: 2), Self.noiseOption(0.05, "each coordinate"),
          OptionSpec(
            "factor", .real(minimum: 0, maximum: 1, minimumExclusive: true), default: .real(0.5),
            help: "the inner circle's radius relative to the outer one (< 1)"),
          Self.seedOption,
        ]
      ) { options, context in
        CirclesGenerator(
          count: options.integer("count"), noise: options.real("noise"),
          factor: options.real("factor"), seed: Self.seed(options, context)
        )
      },
      BuiltinGenerator(
        "moons", summary: "two interleaving noisy half circles, 2 classes (as make_moons)",
        options: [
          Self.countOption(200, minimum: 2), Self.noiseOption(0.1, "each coordinate"),
          Self.seedOption,
        ]
      ) { options, context in
        MoonsGenerator(
          count: options.integer("count"), noise: options.real("noise"),
          seed: Self.seed(options, context)
        )
      },
      BuiltinGenerator(
        "spirals", summary: "interleaved spiral arms, one class per arm",
        options: [
          OptionSpec(
            "classes", .integer(2...Int.max), default: .integer(3), help: "the number of arms"),
          OptionSpec(
            "count", .integer(1...Int.max), default: .integer(100), help: "points per arm"),
          Self.noiseOption(0.2, "the angle, in radians"),
          OptionSpec(
            "turns", .real(minimum: 0, minimumExclusive: true), default: .real(1),
            help: "how many times each arm winds around the centre"),
          Self.seedOption,
        ]
      ) { options, context in
        SpiralsGenerator(
          classes: options.integer("classes"), count: options.integer("count"),
          noise: options.real("noise"), turns: options.real("turns"),
          seed: Self.seed(options, context)
        )
      },
      BuiltinGenerator(
        "blobs", summary: "Gaussian clusters, one class each (as make_blobs)",
        options: [
          OptionSpec(
            "classes", .integer(1...Int.max), default: .integer(3), help: "the number of clusters"),
          Self.countOption(300, minimum: 1, help: "the total number of points"),
          OptionSpec(
            "std", .real(minimum: 0), default: .real(1),
            help: "standard deviation of each cluster"),
          OptionSpec(
            "dimensions", .integer(1...Int.max), default: .integer(2),
            help: "the number of features"),
          OptionSpec(
            "box", .real(minimum: 0), default: .real(10),
            help: "centres are drawn uniformly from [-box, box] in every dimension"),
          Self.seedOption,
        ]
      ) { options, context in
        BlobsGenerator(
          classes: options.integer("classes"), count: options.integer("count"),
          std: options.real("std"), dimensions: options.integer("dimensions"),
          box: options.real("box"), seed: Self.seed(options, context)
        )
      },
      BuiltinGenerator(
        "linear", summary: "y = slope*x + intercept + noise, x uniform in a range",
        options: [
          OptionSpec("slope", .real(), default: .real(2), help: "a in y = a*x + b"),
          OptionSpec("intercept", .real(), default: .real(1), help: "b in y = a*x + b"),
          Self.countOption(100, minimum: 1), Self.noiseOption(0.1, "y"),
          OptionSpec(
            "range", .realList, default: .realList([-1, 1]),
            help: "low,high: the interval x is drawn from"),
          Self.seedOption,
        ]
      ) { options, context in
        let (lower, upper) = try Self.range(options, "linear")
        return LinearGenerator(
          slope: options.real("slope"), intercept: options.real("intercept"),
          count: options.integer("count"), noise: options.real("noise"), lower: lower,
          upper: upper, seed: Self.seed(options, context)
        )
      },
    ]

  /// `seed`: a whole number, or `run` for the run's seed.
  private static let seedOption = OptionSpec(
    "seed", .integerOrWord(0...Int.max, words: ["run"]), default: .text("run"),
    help: "the generator's seed ('run': the run's seed)")

  /// `count` with a default.
  private static func countOption(
    _ value: Int, minimum: Int, help: String = "the number of samples"
  ) -> OptionSpec {
    OptionSpec("count", .integer(minimum...Int.max), default: .integer(value), help: help)
  }

  /// `noise`: a standard deviation ≥ 0.
  private static func noiseOption(_ value: Double, _ target: String) -> OptionSpec {
    OptionSpec(
      "noise", .real(minimum: 0), default: .real(value),
      help: "standard deviation of Gaussian noise on \(target)")
  }

  /// The seed option's value: the number given, or the run's seed.
  private static func seed(_ options: Options, _ context: DatasetContext) -> UInt64 {
    if case .integer(let value)? = options["seed"] { return UInt64(value) }
    return context.seed
  }

  /// An `integerOrWord` option's number, or `nil` for its word (`auto`).
  private static func optionalInteger(_ options: Options, _ name: String) -> Int? {
    if case .integer(let value)? = options[name] { return value }
    return nil
  }

  /// A `range` option's two numbers.
  private static func range(_ options: Options, _ dataset: String) throws -> (Double, Double) {
    let values = options.realList("range")
    guard values.count == 2, values[0] < values[1] else {
      throw InputError(
        "\(dataset): range must be two increasing numbers low,high; got "
          + values.map(formatReal).joined(separator: ","))
    }
    return (values[0], values[1])
  }

  /// Runs `body`, naming `file` in an `InputError` that has no file yet.
  private static func located<T>(_ file: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch var error as InputError {
      if error.file == nil { error.file = file }
      throw error
    }
  }
}
