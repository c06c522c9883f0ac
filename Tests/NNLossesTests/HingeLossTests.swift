import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("hinge")
struct HingeLossTests {
  @Test("known values: margins [½, 3, 0, 3, 1.3, 0], L = 7.8/6")
  func knownValues() {
    // 1 − y·a for y = +1 on row 0 and −1 on row 1: 0.5, 3, −1 → 0, 3, 1.3, −0.5 → 0.
    // Gradient −y/6 where the margin is positive.
    expectKnown(
      HingeLoss(), predictions: [[0.5, -2, 2], [2, 0.3, -1.5]],
      targets: [[1, 1, 1], [-1, -1, -1]],
      value: 7.8 / 6, gradient: [-1, -1, 0, 1, 1, 0].map { $0 / 6 })
  }

  @Test("targets must be −1 or +1 (0/1 labels are rejected, not converted)")
  func targets() {
    #expect(HingeLoss().targetProblem(Matrix<Double>([[1, -1]]), outputs: 2) == nil)
    let problem = HingeLoss().targetProblem(Matrix<Double>([[1, 0]]), outputs: 2)
    #expect(problem?.row == 0 && problem?.column == 1)
    #expect(problem?.message.contains("-1 or +1") == true)
  }
}
