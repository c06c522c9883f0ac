import NNProtocols
import Testing

@testable import NNOptimizers

@Suite("update shapes")
struct UpdateShapesTests {
  @Test func matchingShapesGiveTheElementCount() {
    let parameter = Matrix<Float>(rows: 3, cols: 4)
    let gradient = Matrix<Float>(rows: 3, cols: 4)
    let slots = [Matrix<Float>(rows: 3, cols: 4), Matrix<Float>(rows: 3, cols: 4)]
    #expect(
      checkedUpdateCount("demo", parameter, gradient: gradient, state: slots, slots: 2) == 12)
    #expect(
      checkedUpdateCount(
        "demo", Matrix<Double>(rows: 1, cols: 5), gradient: Matrix<Double>(rows: 1, cols: 5),
        state: [], slots: 0) == 5)
  }
}
