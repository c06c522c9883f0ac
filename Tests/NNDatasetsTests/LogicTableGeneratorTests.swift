import NNDatasets
import NNProtocols
import Testing

@Suite("logic table generators")
struct LogicTableGeneratorTests {
  /// The expected truth value of each operation for inputs (0,0), (0,1), (1,0), (1,1).
  static let truth: [LogicTableGenerator.Operation: [Double]] = [
    .and: [0, 0, 0, 1], .or: [0, 1, 1, 1], .xor: [0, 1, 1, 0], .xnor: [1, 0, 0, 1],
  ]

  @Test(arguments: LogicTableGenerator.Operation.allCases)
  func binaryTables(operation: LogicTableGenerator.Operation) {
    let data = LogicTableGenerator(operation).generate()
    #expect(data.name == operation.rawValue)
    #expect(data.features.scalars == [0, 0, 0, 1, 1, 0, 1, 1])
    #expect(data.targets.scalars == Self.truth[operation])
    #expect(data.classNames == nil)
  }

  @Test(arguments: LogicTableGenerator.Operation.allCases)
  func bipolarTablesUseMinusOneForFalse(operation: LogicTableGenerator.Operation) {
    let data = LogicTableGenerator(operation, encoding: .bipolar).generate()
    #expect(data.features.scalars == [-1, -1, -1, 1, 1, -1, 1, 1])
    #expect(data.targets.scalars == Self.truth[operation]!.map { $0 * 2 - 1 })
  }

  @Test func constantColumnIsAThirdInputOfOnes() {
    // The second tutorial's XNOR input: [x1 x2 1].
    let data = LogicTableGenerator(.xnor, constant: true).generate()
    #expect(data.inputSize == 3)
    #expect(data.featureNames == ["x1", "x2", "constant"])
    #expect(data.features.scalars == [0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1])
    #expect(data.targets.scalars == [1, 0, 0, 1])
  }

  @Test func classesGiveATwoClassClassification() {
    let binary = LogicTableGenerator(.xor, classes: true).generate()
    #expect(binary.classNames == ["0", "1"])
    #expect(binary.targets.scalars == [0, 1, 1, 0])
    let bipolar = LogicTableGenerator(.xor, encoding: .bipolar, classes: true).generate()
    #expect(bipolar.classNames == ["-1", "1"])
    #expect(bipolar.targets.scalars == [0, 1, 1, 0])
  }
}
