import NNLosses
import NNProtocols
import Testing

/// `L = Σ 3·a`: value 3·Σa, gradient 3 everywhere; a loss that writes only `evaluate`.
private struct Tripled: OnePassLoss {
  var name: String { "tripled" }
  func evaluate<S: NNScalar>(
    _ predictions: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?
  ) -> Double {
    var sum = 0.0
    for i in 0..<predictions.count {
      sum += 3 * Double(predictions.base[i])
      gradient?.base[i] = 3
    }
    return sum
  }
}

@Suite struct OnePassLossTests {
  @Test("value and gradient are the one pass without and with a gradient buffer")
  func valueAndGradientComeFromEvaluate() {
    let predictions = Matrix<Double>(rows: 2, cols: 2, scalars: [1, 2, 3, 4])
    let targets = Matrix<Double>(rows: 2, cols: 2)
    let loss: any Loss = Tripled()
    #expect(loss.value(predictions: predictions, targets: targets) == 30)
    let gradient = Matrix<Double>(rows: 2, cols: 2)
    #expect(loss.gradient(predictions: predictions, targets: targets, into: gradient) == 30)
    #expect(gradient.scalars == [3, 3, 3, 3])
  }

  @Test("every built-in loss is written as one pass")
  func builtinsAreOnePass() throws {
    var registry = ComponentRegistry()
    try registry.registerBuiltinLosses()
    for name in registry.names(of: .loss) {
      let loss = try registry.makeLoss(ComponentReference(kind: .loss, name: name))
      #expect(loss is any OnePassLoss, "\(name)")
    }
  }
}
