import NNProtocols
import Testing

/// A layer `y = s·x` with one trainable scale, for the protocol's defaults.
private final class Scale: Layer {
  typealias Scalar = Double
  let scale = Parameter(name: "scale", value: Matrix<Double>([[2]]), gradient: Matrix([[0]]))
  let offsets = Parameter(
    name: "offsets", value: Matrix<Double>(rows: 1, cols: 3), gradient: Matrix(rows: 1, cols: 3))
  private var input = Matrix<Double>(rows: 0, cols: 3)
  var kind: String { "scale" }
  var inputSize: Int { 3 }
  var outputSize: Int { 3 }
  var parameters: [Parameter<Double>] { [scale, offsets] }

  func forward(_ x: Matrix<Double>, phase: Phase) -> Matrix<Double> {
    input = x
    let y = x.copy()
    for i in 0..<y.count { y.base[i] *= scale.value.base[0] }
    return y
  }

  func backward(_ dY: Matrix<Double>, needsInputGradient: Bool) -> Matrix<Double> {
    scale.gradient.base[0] = zip(dY.scalars, input.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    let dX = dY.copy()
    for i in 0..<dX.count { dX.base[i] *= scale.value.base[0] }
    return dX
  }

  func copy() -> Self { self }
}

@Suite("Layer")
struct LayerTests {
  @Test("the defaults: no detail, parameterCount sums every parameter's elements")
  func defaults() {
    let layer = Scale()
    #expect(layer.detail == "")
    #expect(layer.parameterCount == 4)
  }

  @Test("a parameter's value and gradient are matrices shared with the layer")
  func parametersShareStorage() {
    let layer = Scale()
    let x = Matrix<Double>([[1, 2, 3]])
    #expect(layer.forward(x, phase: .training).scalars == [2, 4, 6])
    let dX = layer.backward(Matrix([[1, 1, 1]]), needsInputGradient: true)
    #expect(dX.scalars == [2, 2, 2])
    #expect(layer.parameters[0].gradient.scalars == [6], "dL/ds = Σ dY·x")
    layer.parameters[0].value.fill(3)
    #expect(layer.forward(x, phase: .inference).scalars == [3, 6, 9])
  }

  @Test("phases are distinct")
  func phases() {
    #expect(Phase.training != Phase.inference)
  }
}
