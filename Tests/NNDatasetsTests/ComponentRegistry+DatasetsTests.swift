import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("built-in data set registration")
struct ComponentRegistryDatasetsTests {
  static let names = [
    "and", "blobs", "circles", "csv", "fann", "idx", "linear", "moons", "or", "regions", "sine",
    "spirals", "xnor", "xor",
  ]

  func registry() throws -> ComponentRegistry {
    var registry = ComponentRegistry()
    try registry.registerBuiltinDatasets()
    return registry
  }

  func make(
    _ name: String, _ given: [(key: String, value: OptionValue)] = [], seed: UInt64 = 0,
    baseDirectory: String = ""
  ) throws -> Dataset {
    let registry = try registry()
    let reference = try registry.reference(.dataset, name, given)
    return try registry.makeDataset(
      reference, context: DatasetContext(baseDirectory: baseDirectory, seed: seed))
  }

  @Test func everyBuiltinIsRegisteredAndDocumented() throws {
    let registry = try registry()
    #expect(registry.names(of: .dataset) == Self.names)
    for name in Self.names {
      let summary = registry.summary(of: .dataset, named: name) ?? ""
      #expect(!summary.isEmpty && !summary.contains("\n"), "\(name)")
      for spec in registry.optionSpecs(of: .dataset, named: name) ?? [] {
        #expect(!spec.help.isEmpty, "\(name).\(spec.name)")
        if let value = spec.defaultValue {
          #expect(spec.problem(with: value) == nil, "\(name).\(spec.name)")
        }
      }
    }
    var again = try self.registry()
    #expect(throws: ComponentRegistry.DuplicateName.self) { try again.registerBuiltinDatasets() }
  }

  @Test(arguments: [
    "sine", "and", "or", "xor", "xnor", "regions", "circles", "moons", "spirals", "blobs", "linear",
  ])
  func everyGeneratorBuildsWithItsDefaults(name: String) throws {
    let data = try make(name)
    #expect(data.count > 0)
    #expect(data.name == name)
  }

  @Test func registryDefaultsMatchTheGenerators() throws {
    #expect(try make("sine").features.elementsEqual(try SineGenerator().generate().features))
    #expect(
      try make("circles", seed: 3).features.elementsEqual(
        try CirclesGenerator(seed: 3).generate().features))
    #expect(
      try make("spirals", seed: 3).features.elementsEqual(
        try SpiralsGenerator(seed: 3).generate().features))
    #expect(
      try make("blobs", seed: 3).features.elementsEqual(
        try BlobsGenerator(seed: 3).generate().features))
    #expect(
      try make("linear", seed: 3).targets.elementsEqual(
        try LinearGenerator(seed: 3).generate().targets))
    #expect(
      try make("regions", seed: 3).features.elementsEqual(
        try RegionsGenerator(seed: 3).generate().features))
    #expect(
      try make("moons", seed: 3).features.elementsEqual(
        try MoonsGenerator(seed: 3).generate().features))
  }

  @Test func seedDefaultsToTheRunSeed() throws {
    let run1 = try make("moons", seed: 1)
    #expect(try make("moons", seed: 1).features.elementsEqual(run1.features))
    #expect(!(try make("moons", seed: 2).features.elementsEqual(run1.features)))
    // An explicit seed wins over the run's.
    let fixed = try make("moons", [("seed", .integer(5))], seed: 1)
    #expect(
      try make("moons", [("seed", .integer(5))], seed: 2).features.elementsEqual(fixed.features))
  }

  @Test func generatorOptionsArePassedOn() throws {
    let sine = try make("sine", [("start", .real(0)), ("stop", .real(1)), ("count", .integer(4))])
    #expect(sine.features.scalars == [0, 0.25, 0.5, 0.75])
    let xnor = try make("xnor", [("constant", .boolean(true)), ("encoding", .text("bipolar"))])
    #expect(xnor.features.scalars == [-1, -1, 1, -1, 1, 1, 1, -1, 1, 1, 1, 1])
    let regions = try make("regions", [("range", .realList([0, 2])), ("count", .integer(10))])
    #expect(regions.features.scalars.allSatisfy { $0 >= 0 && $0 < 2 })
    #expect(
      inputError { try make("linear", [("range", .realList([1]))]) }?.message
        == "linear: range must be two increasing numbers low,high; got 1")
  }

  @Test func csvResolvesPathsAgainstTheBaseDirectory() throws {
    let iris = try make(
      "csv", [("path", .text("iris.csv"))], baseDirectory: dataFolder)
    #expect(iris.classNames == ["setosa", "versicolor", "virginica"])
    let selected = try make(
      "csv",
      [
        ("path", .text("../Data/iris.csv")), ("features", .text("petal_length,4")),
        ("target", .text("1")),
      ], baseDirectory: dataFolder + "/../Tests")
    #expect(selected.featureNames == ["petal_length", "petal_width"])
    #expect(selected.targetNames == ["sepal_length"])
    let digits = try make(
      "csv", [("path", .text("digits.csv")), ("task", .text("classification"))],
      baseDirectory: dataFolder)
    #expect(digits.classNames?.count == 10)
  }

  @Test func csvTargetAndTargetsTogetherIsAnError() {
    let error = inputError {
      try make(
        "csv", [("path", .text("iris.csv")), ("target", .text("5")), ("targets", .text("4,5"))],
        baseDirectory: dataFolder)
    }
    #expect(error?.message == "csv: give target=5 or targets=4,5, not both")
  }

  @Test func csvBadColumnListNamesTheFile() {
    let error = inputError {
      try make(
        "csv", [("path", .text("iris.csv")), ("features", .text("0"))], baseDirectory: dataFolder)
    }
    #expect(error?.file == "iris.csv")
    #expect(error?.message == "column positions start at 1, got 0 in '0'")
  }

  @Test func csvTargetNoneReadsUnlabelledData() throws {
    let data = try make(
      "csv", [("path", .text("iris.csv")), ("target", .text("none")), ("features", .text("1-4"))],
      baseDirectory: dataFolder)
    #expect(data.targets.cols == 0)
    #expect(data.inputSize == 4)
  }

  @Test func fannAndIdxThroughTheRegistry() throws {
    let folder = try TemporaryFolder()
    try folder.write("xor.data", "4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n1 1\n0\n")
    let xor = try make("fann", [("path", .text("xor.data"))], baseDirectory: folder.path)
    #expect(xor.targets.scalars == [0, 1, 1, 0])
    try folder.write(
      "img", bytes: idxBytes(.ubyte, dimensions: [2, 1, 2], values: [0, 255, 51, 102]))
    try folder.write("lab", bytes: idxBytes(.ubyte, dimensions: [2], values: [1, 0]))
    let images = try make(
      "idx", [("images", .text("img")), ("labels", .text("lab")), ("normalize", .boolean(true))],
      baseDirectory: folder.path)
    #expect(images.features.scalars == [0, 1, 0.2, 0.4])
    #expect(images.classNames == ["0", "1"])
  }

  @Test func requiredPathIsReported() throws {
    let registry = try registry()
    guard
      case .failure(let problems) = registry.resolveOptions(of: .dataset, named: "csv", given: [])
    else {
      Issue.record("csv without a path resolved")
      return
    }
    #expect(problems.description == "dataset 'csv' needs option 'path' (a file path)")
  }

  /// `generatedShape` gives each built-in generator's shape from its resolved options, without
  /// generating: the shape of what `makeDataset` then makes.
  @Test(arguments: [
    "sine", "and", "or", "xor", "xnor", "regions", "circles", "moons", "spirals", "blobs", "linear",
  ])
  func generatedShapeIsTheShapeMade(name: String) throws {
    let registry = try registry()
    let reference = try registry.reference(.dataset, name, [])
    let context = DatasetContext(baseDirectory: "", seed: 1)
    let shape = try #require(try registry.generatedShape(reference, context: context))
    let data = try registry.makeDataset(reference, context: context)
    #expect(shape.samples == data.count)
    #expect(shape.inputs == data.inputSize)
    #expect(shape.targets == data.targets.cols)
    #expect(shape.classes == data.classNames?.count)
  }

  /// An absurd size is only described, never allocated; invalid settings are the generator's error.
  @Test func generatedShapeOfAnAbsurdSizeAllocatesNothing() throws {
    let registry = try registry()
    let context = DatasetContext(baseDirectory: "", seed: 0)
    let huge = try registry.reference(.dataset, "sine", [("count", .integer(100_000_000_000))])
    #expect(
      try registry.generatedShape(huge, context: context)
        == GeneratedShape(samples: 100_000_000_000, inputs: 1))
    let spirals = try registry.reference(
      .dataset, "spirals", [("classes", .integer(1 << 62)), ("count", .integer(4))])
    #expect(try registry.generatedShape(spirals, context: context)?.samples == Int.max)
    let empty = try registry.reference(.dataset, "sine", [("start", .real(1)), ("stop", .real(1))])
    #expect(
      inputError { try registry.generatedShape(empty, context: context) as Any }?.message
        == "sine: stop (1) must be greater than start (1)")
  }

  /// File readers (bounded by their file) and data sets registered by others have no shape to give.
  @Test func generatedShapeIsNilForReadersAndOthersData() throws {
    let registry = try registry()
    let context = DatasetContext(baseDirectory: "", seed: 0)
    let csv = try registry.reference(.dataset, "csv", [("path", .text("missing.csv"))])
    #expect(try registry.generatedShape(csv, context: context) == nil)
    var other = ComponentRegistry()
    try other.registerDataset(
      "sine", summary: "another sine",
      options: [OptionSpec("n", .integer(1...10), default: .integer(3), help: "n")]
    ) { _, _ in try SineGenerator().generate() }
    let reference = try other.reference(.dataset, "sine", [])
    #expect(try other.generatedShape(reference, context: context) == nil)
  }
}
