import NNProtocols
import NNTestSupport
import Testing

/// `L = Σ|A − Y|`, written with only the required members, to test the protocol's defaults.
private struct AbsoluteSum: Loss {
  var name: String { "absolute_sum" }
  func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double {
    zip(predictions.scalars, targets.scalars).reduce(0) { $0 + Double(abs($1.0 - $1.1)) }
  }
  func gradient<S: NNScalar>(
    predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>
  ) -> Double {
    for i in 0..<gradient.count {
      let difference = predictions.base[i] - targets.base[i]
      gradient.base[i] = difference > 0 ? 1 : difference < 0 ? -1 : 0
    }
    return value(predictions: predictions, targets: targets)
  }
}

@Suite("Loss")
struct LossTests {
  @Test("the defaults: real-valued outputs and targets, no squared-error scale")
  func defaults() {
    let loss = AbsoluteSum()
    #expect(loss.expectedOutput == .values)
    #expect(loss.targetEncoding == .values)
    #expect(loss.squaredErrorScale(rows: 4, cols: 2) == nil)
  }

  @Test("gradient returns the value and writes dL/dA")
  func gradientContract() {
    let a = Matrix<Double>([[1, -2], [0.5, 3]])
    let y = Matrix<Double>([[0, -2], [1, 1]])
    let dA = Matrix<Double>(rows: 2, cols: 2)
    let returned = AbsoluteSum().gradient(predictions: a, targets: y, into: dA)
    #expect(returned == 3.5)
    #expect(returned == AbsoluteSum().value(predictions: a, targets: y))
    #expect(dA.scalars == [1, 0, -1, 1])
  }
}
