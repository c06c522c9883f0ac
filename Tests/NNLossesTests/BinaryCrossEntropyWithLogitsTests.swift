import Foundation
import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("bce_with_logits")
struct BinaryCrossEntropyWithLogitsTests {
  @Test("known values: z = 0, y = 1 gives ln 2; z = ln 3, y = 0 gives ln 4")
  func knownValues() {
    // max(z,0) − z·y + log1p(e^(−|z|)): 0 − 0 + ln 2; ln 3 − 0 + ln(4/3) = ln 4. Mean: 1.5·ln 2.
    // Gradient (σ(z) − y)/2: (½ − 1)/2 = −¼; (¾ − 0)/2 = ⅜.
    expectKnown(
      BinaryCrossEntropyWithLogits(), predictions: [[0, log(3)]], targets: [[1, 0]],
      value: 1.5 * log(2), gradient: [-0.25, 0.375])
  }

  @Test("stable at ±1e4: a confident right answer costs 0, a confident wrong one |z|")
  func stability() {
    let loss = BinaryCrossEntropyWithLogits()
    #expect(loss.value(predictions: Matrix([[1e4, -1e4]]), targets: Matrix([[1, 0]])) == 0)
    #expect(loss.value(predictions: Matrix([[1e4, -1e4]]), targets: Matrix([[0, 1]])) == 1e4)
    #expect(
      loss.value(predictions: Matrix<Float>([[1e4, -1e4]]), targets: Matrix([[0, 1]])) == 1e4)
    let gradient = Matrix<Double>(rows: 1, cols: 2)
    loss.gradient(predictions: Matrix([[1e4, -1e4]]), targets: Matrix([[0, 1]]), into: gradient)
    #expect(gradient.scalars == [0.5, -0.5])
  }
}
