import NNDatasets
import NNProtocols
import Testing

@Suite("data generators' shapes")
struct DataGeneratorTests {
  /// The shape a data set actually has.
  func shape(of data: Dataset) -> GeneratedShape {
    GeneratedShape(
      samples: data.count, inputs: data.inputSize, targets: data.targets.cols,
      classes: data.classNames?.count)
  }

  /// Every generator, with defaults and with other settings, says beforehand exactly the shape it
  /// then makes.
  @Test func theShapeIsTheShapeGenerated() throws {
    let generators: [any DataGenerator] = [
      SineGenerator(), SineGenerator(start: 0, stop: 1, count: 7),
      SineGenerator(start: 0, stop: 1, step: 0.3),
      LogicTableGenerator(.xnor), LogicTableGenerator(.and, constant: true, classes: true),
      RegionsGenerator(), RegionsGenerator(count: 9, labels: .conjunction, constant: true),
      CirclesGenerator(), CirclesGenerator(count: 5), MoonsGenerator(), MoonsGenerator(count: 3),
      SpiralsGenerator(), SpiralsGenerator(classes: 5, count: 7), BlobsGenerator(),
      BlobsGenerator(classes: 4, count: 10, dimensions: 6), LinearGenerator(),
      LinearGenerator(count: 11),
    ]
    for generator in generators {
      #expect(try generator.shape() == shape(of: try generator.generate()), "\(generator)")
    }
  }

  /// `samples·(inputs + targets)·8`, in `Double`.
  @Test func bytesFollowTheFormula() {
    #expect(GeneratedShape(samples: 100, inputs: 1).bytes == 100 * 2 * 8)
    #expect(GeneratedShape(samples: 10, inputs: 6, classes: 4).bytes == 10 * 7 * 8)
    #expect(GeneratedShape(samples: Int.max, inputs: Int.max).bytes > 6e38)
  }

  /// Settings whose sample count overflows `Int` give a saturated shape, and `generate()` throws
  /// instead of trapping in `classes × count` or `rows × cols`.
  @Test func overflowingSettingsSaturateAndThrow() throws {
    let spirals = SpiralsGenerator(classes: 1 << 62, count: 4)
    #expect(try spirals.shape().samples == Int.max)
    #expect(
      inputError { try spirals.generate() }?.message
        == "spirals: the settings ask for more samples than a matrix can index")
    let blobs = BlobsGenerator(classes: 1, count: 1 << 40, dimensions: 1 << 40)
    #expect(try blobs.shape() == GeneratedShape(samples: 1 << 40, inputs: 1 << 40, classes: 1))
    #expect(
      inputError { try blobs.generate() }?.message
        == "blobs: the settings ask for more samples than a matrix can index")
  }

  /// `shape()` checks the settings with the messages `generate()` gives.
  @Test func invalidSettingsAreTheSameErrors() {
    let generators: [any DataGenerator] = [
      SineGenerator(noise: -1), RegionsGenerator(count: 0), CirclesGenerator(factor: 2),
      MoonsGenerator(count: 1), SpiralsGenerator(turns: 0), BlobsGenerator(classes: 5, count: 2),
      LinearGenerator(lower: 1, upper: 0),
    ]
    for generator in generators {
      let fromShape = inputError { try generator.shape() }
      #expect(fromShape != nil, "\(generator)")
      #expect(fromShape == inputError { try generator.generate() }, "\(generator)")
    }
  }
}
