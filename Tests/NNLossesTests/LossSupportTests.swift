import NNProtocols
import NNTestSupport
import Testing

@testable import NNLosses

@Suite("loss support")
struct LossSupportTests {
  @Test("class targets: indices for one column, distributions for one column per class")
  func layout() {
    let logits = Matrix<Double>(rows: 2, cols: 3)
    #expect(
      classTargets(predictions: logits, targets: Matrix(rows: 2, cols: 1), gradient: nil, loss: "t")
        == .indices)
    #expect(
      classTargets(predictions: logits, targets: Matrix(rows: 2, cols: 3), gradient: nil, loss: "t")
        == .distributions)
    #expect(classIndex(2.0, row: 0, classes: 3, loss: "t") == 2)
  }

  @Test("elementwise target problems: columns, non-finite values, allowed values")
  func elementwise() {
    let targets = Matrix<Double>([[0.5, 1], [0, 0.25]])
    #expect(elementwiseTargetProblem(targets, outputs: 2, loss: "t") == nil)
    #expect(
      elementwiseTargetProblem(targets, outputs: 3, loss: "t")?.message.contains("2 columns")
        == true)
    let infinite = Matrix<Double>([[0.5, .infinity]])
    #expect(elementwiseTargetProblem(infinite, outputs: 2, loss: "t")?.column == 1)
    let problem = elementwiseTargetProblem(
      targets, outputs: 2, loss: "t", expected: "at least 0.3", allowed: { $0 >= 0.3 })
    #expect(problem == TargetProblem(row: 1, column: 0, "t: target 0.0 is not at least 0.3"))
  }

  @Test("class target problems: each is reported with its row")
  func classProblems() {
    #expect(classTargetProblem(Matrix<Float>([[0], [2]]), outputs: 3, loss: "t") == nil)
    #expect(classTargetProblem(Matrix<Float>([[0], [2]]), outputs: 2, loss: "t")?.row == 1)
    #expect(classTargetProblem(Matrix<Float>([[0.5, 0.5]]), outputs: 2, loss: "t") == nil)
    #expect(classTargetProblem(Matrix<Float>([[0.5, 0.4]]), outputs: 2, loss: "t")?.row == 0)
    #expect(classTargetProblem(Matrix<Float>([[1.5, -0.5]]), outputs: 2, loss: "t")?.column == 0)
    #expect(classTargetProblem(Matrix<Float>([[0, 0, 1]]), outputs: 2, loss: "t")?.row == nil)
  }
}
