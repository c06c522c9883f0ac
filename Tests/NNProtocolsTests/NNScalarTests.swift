import Foundation
import NNProtocols
import NNTestSupport
import Testing

/// Runs a whole-buffer kernel of `S` over `values` and returns its output.
private func buffer<S: NNScalar>(
  _ values: [S], _ kernel: (UnsafePointer<S>, UnsafeMutablePointer<S>, Int) -> Void
) -> [S] {
  var output = [S](repeating: .nan, count: values.count)
  values.withUnsafeBufferPointer { x in
    output.withUnsafeMutableBufferPointer { y in kernel(x.baseAddress!, y.baseAddress!, x.count) }
  }
  return output
}

/// Points across the kernels' ranges, enough of them (37) to cover whole vectors and a tail.
private let points: [Double] = (0..<37).map { -9 + Double($0) * 0.5 }

@Suite("NNScalar")
struct NNScalarTests {
  @Test("dtype names are the safetensors ones")
  func dtypeNames() {
    #expect(Float.dtypeName == "F32")
    #expect(Double.dtypeName == "F64")
  }

  @Test("the elementary functions are the C library's")
  func elementaryFunctions() {
    for x in [-3.5, -0.25, 0.0, 1e-9, 0.75, 2.0] {
      #expect(Double.exp(x) == Foundation.exp(x))
      #expect(Double.expm1(x) == Foundation.expm1(x))
      if x > -1 { #expect(Double.log1p(x) == Foundation.log1p(x)) }
      #expect(Double.tanh(x) == Foundation.tanh(x))
      #expect(Double.erf(x) == Foundation.erf(x))
      #expect(Float.exp(Float(x)) == Foundation.exp(Float(x)))
      #expect(Float.tanh(Float(x)) == Foundation.tanh(Float(x)))
    }
    #expect(Double.log(Double.exp(1)) == 1)
  }

  @Test("buffer exp, sigmoid and tanh agree with the scalar functions (a few ulp)")
  func bufferKernels() {
    let doubles = buffer(points) { Double.sigmoid($0, $1, count: $2) }
    let floats = buffer(points.map { Float($0) }) { Float.sigmoid($0, $1, count: $2) }
    for (i, x) in points.enumerated() {
      let sigmoid = 1 / (1 + Foundation.exp(-x))
      #expect(isApproximatelyEqual(doubles[i], sigmoid, relative: 1e-14), "sigmoid(\(x))")
      #expect(isApproximatelyEqual(floats[i], Float(sigmoid), relative: 1e-6), "sigmoid(\(x))")
    }
    let exps = buffer(points) { Double.exp($0, $1, count: $2) }
    let tanhs = buffer(points.map { Float($0) }) { Float.tanh($0, $1, count: $2) }
    for (i, x) in points.enumerated() {
      #expect(isApproximatelyEqual(exps[i], Foundation.exp(x), relative: 1e-14), "exp(\(x))")
      #expect(
        isApproximatelyEqual(tanhs[i], Float(Foundation.tanh(x)), absolute: 1e-7, relative: 1e-6),
        "tanh(\(x))")
    }
  }

  @Test("sumRows gives column sums of a strided matrix")
  func columnSums() {
    // 3 rows of 2 columns, each row padded to 4 elements.
    let x: [Double] = [1, 2, 99, 99, 3, 4, 99, 99, 5, 6, 99, 99]
    var sums: [Double] = [0, 0]
    x.withUnsafeBufferPointer { source in
      sums.withUnsafeMutableBufferPointer {
        Double.sumRows(source.baseAddress!, rows: 3, cols: 2, ld: 4, into: $0.baseAddress!)
      }
    }
    #expect(sums == [9, 12])
  }

  @Test(
    "biasActivation adds the bias then applies the kernel; activationBackward multiplies by g'",
    arguments: [
      FusedActivationKernel.identity, .sigmoid, .tanh, .relu,
    ])
  func fusedBiasAndBackward(kernel: FusedActivationKernel) {
    let g: (Double) -> Double
    let slope: (Double, Double) -> Double  // g'(z) from z and a = g(z)
    switch kernel {
    case .identity: (g, slope) = ({ $0 }, { _, _ in 1 })
    case .sigmoid: (g, slope) = ({ 1 / (1 + Foundation.exp(-$0)) }, { _, a in a * (1 - a) })
    case .tanh: (g, slope) = ({ Foundation.tanh($0) }, { _, a in 1 - a * a })
    case .relu: (g, slope) = ({ max($0, 0) }, { z, _ in z > 0 ? 1 : 0 })
    }
    let rows = 3
    let cols = 5
    var generator = SeededGenerator(seed: 1)
    let z: Matrix<Double> = randomMatrix(rows: rows, cols: cols, using: &generator)
    let bias: Matrix<Double> = randomMatrix(rows: 1, cols: cols, using: &generator)
    let zBefore = z.copy()
    let a = Matrix<Double>(rows: rows, cols: cols)
    Double.biasActivation(z.base, bias: bias.base, a.base, rows: rows, cols: cols, kernel: kernel)
    let dA: Matrix<Double> = randomMatrix(rows: rows, cols: cols, using: &generator)
    let dZ = Matrix<Double>(rows: rows, cols: cols)
    dZ.fill(.nan)
    Double.activationBackward(
      z: z.base, a: a.base, dA: dA.base, dZ: dZ.base, count: rows * cols, kernel: kernel)
    for r in 0..<rows {
      for c in 0..<cols {
        let shifted = zBefore[r, c] + bias[0, c]
        #expect(z[r, c] == shifted, "z keeps Z + b")
        #expect(isApproximatelyEqual(a[r, c], g(shifted), relative: 1e-14))
        let expected = dA[r, c] * slope(shifted, a[r, c])
        #expect(isApproximatelyEqual(dZ[r, c], expected, absolute: 1e-15, relative: 1e-14))
      }
    }
  }
}
