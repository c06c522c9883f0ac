import NNProtocols
import Testing

@Suite("Dataset")
struct DatasetTests {
  @Test("default column names, sizes and the regression case")
  func regression() {
    let data = Dataset(
      name: "line", features: Matrix([[1, 2], [3, 4], [5, 6]]), targets: Matrix([[1], [2], [3]]))
    #expect(data.featureNames == ["x1", "x2"])
    #expect(data.targetNames == ["y1"])
    #expect(data.count == 3 && data.inputSize == 2 && data.outputSize == 1)
    #expect(!data.isClassification && data.classNames == nil)
  }

  @Test("a classification set needs one output per class")
  func classification() {
    let data = Dataset(
      name: "iris", features: Matrix([[0.1], [0.2]]), targets: Matrix([[2], [0]]),
      featureNames: ["petal"], classNames: ["setosa", "versicolor", "virginica"])
    #expect(data.isClassification)
    #expect(data.outputSize == 3)
    #expect(data.featureNames == ["petal"] && data.targetNames == ["y1"])
  }

  @Test("subset copies the chosen rows in the given order, keeping names")
  func subsets() {
    let data = Dataset(
      name: "d", features: Matrix([[1, 10], [2, 20], [3, 30]]), targets: Matrix([[0], [1], [2]]),
      classNames: ["a", "b", "c"])
    let picked = data.subset([2, 0, 2])
    #expect(picked.count == 3)
    #expect(picked.features.scalars == [3, 30, 1, 10, 3, 30])
    #expect(picked.targets.scalars == [2, 0, 2])
    #expect(picked.name == "d" && picked.classNames == ["a", "b", "c"])
    picked.features[0, 0] = -1
    #expect(data.features[2, 0] == 3, "a subset is a copy")
    #expect(data.subset([]).count == 0)
  }
}
