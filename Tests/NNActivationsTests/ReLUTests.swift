import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("relu")
struct ReLUTests {
  @Test("known values: max(z, 0); derivative 1 above 0, 0 at and below 0")
  func knownValues() {
    expectKnown(ReLU(), at: 3, value: 3, derivative: 1)
    expectKnown(ReLU(), at: -2, value: 0, derivative: 0)
    expectKnown(ReLU(), at: 0, value: 0, derivative: 0)
    expectKnown(ReLU(), at: 1e-8, value: 1e-8, derivative: 1)
  }

  @Test("relu(−0) = +0, relu(−∞) = 0, relu(+∞) = +∞, NaN stays NaN on both paths")
  func specials() {
    let inputs: [Double] = [-0.0, -.infinity, .infinity, -1e4, .nan]
    let expected: [Double] = [0, 0, .infinity, 0, .nan]
    let buffer = bufferPath(ReLU(), at: inputs).values
    for i in inputs.indices {
      #expect(isIdentical(ReLU().value(inputs[i]), expected[i]), "relu(\(inputs[i]))")
      #expect(isIdentical(buffer[i], expected[i]), "buffer relu(\(inputs[i]))")
    }
    #expect(ReLU().derivative(Double.nan, output: .nan).isNaN)
  }

  @Test("backward zeroes the gradient of inactive units and passes the rest")
  func backward() {
    let z: [Double] = [-1, 2, 0, 5]
    let dA: [Double] = [10, 20, 30, 40]
    var dZ = [Double](repeating: .nan, count: 4)
    let a = bufferPath(ReLU(), at: z).values
    dZ.withUnsafeMutableBufferPointer { out in ReLU().backward(z, a, dA, out.baseAddress!, count: 4)
    }
    #expect(dZ == [0, 20, 0, 40])
  }
}
