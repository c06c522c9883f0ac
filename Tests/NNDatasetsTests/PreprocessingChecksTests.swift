import NNDatasets
import NNProtocols
import Testing

@Suite("data set checks")
struct PreprocessingChecksTests {
  let names = ["setosa", "versicolor", "virginica"]

  func labelled(_ labels: [Double]) -> Dataset {
    Dataset(
      name: "iris.csv", features: Matrix(rows: labels.count, cols: 4),
      targets: Matrix(rows: labels.count, cols: 1, scalars: labels), classNames: names)
  }

  @Test func classMissingFromTrainingIsNamed() {
    let error = inputError {
      try Preprocessing.checkClassesSeen(
        train: labelled([0, 1, 0]), part: labelled([1, 2, 2]), partName: "test")
    }
    #expect(error?.file == "iris.csv")
    #expect(
      error?.message
        == "class 'virginica' appears in the test part (2 samples) but never in the training part;"
        + " expected every class to be seen in training")
  }

  @Test func everyClassSeenPasses() throws {
    try Preprocessing.checkClassesSeen(
      train: labelled([0, 1, 2]), part: labelled([2, 2]), partName: "validation")
  }

  @Test func featureCountMustMatchTheNetwork() throws {
    try Preprocessing.checkInputSize(labelled([0]), expected: 4)
    let error = inputError { try Preprocessing.checkInputSize(labelled([0]), expected: 3) }
    #expect(
      error?.description
        == "iris.csv: error: the data has 4 features per sample, but the network's input layer"
        + " expects 3\nnote: choose the feature columns with features=…, or change the first"
        + " layer's input size")
  }
}
