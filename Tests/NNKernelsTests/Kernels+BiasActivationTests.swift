import NNKernels
import NNProtocols
import Testing

extension KernelsTests {
  /// `NNScalar.biasActivation`: a dense layer's `Z ← Z + b`, `A = g(Z)` in one pass. It must give
  /// exactly what the two steps give separately (the bias added row by row, then the activation's own
  /// buffer kernel), for every row width (whole vectors, every tail, widths whose bias pattern spans
  /// several rows) and with SIMD on and off.
  @Suite struct BiasActivationTests {
    static let shapes: [(rows: Int, cols: Int)] = [
      (1, 1), (3, 1), (100, 1), (1, 7), (5, 3), (4, 4), (9, 5), (2, 8), (3, 9), (100, 20),
      (7, 33), (33, 20), (3, 256), (2, 300), (37, 2), (6, 4), (1, 20), (3, 20), (600, 3),
    ]
    static let kernels: [FusedActivationKernel] = [.identity, .sigmoid, .tanh, .relu]

    @Test(arguments: shapes)
    func equalsTheBiasThenTheActivationKernel(rows: Int, cols: Int) {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        for kernel in Self.kernels {
          check(Float.self, rows: rows, cols: cols, kernel: kernel, inPlace: false, simd: simd)
          check(Double.self, rows: rows, cols: cols, kernel: kernel, inPlace: false, simd: simd)
        }
        check(Float.self, rows: rows, cols: cols, kernel: .identity, inPlace: true, simd: simd)
        check(Double.self, rows: rows, cols: cols, kernel: .identity, inPlace: true, simd: simd)
      }
    }

    /// ReLU sends every `z ≤ 0` (−0 included) to +0 and keeps NaN; the sigmoid of NaN is NaN.
    @Test func specialValues() {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        var z: [Float] = [-0.0, 0, -1, 2, .nan, -.infinity, .infinity, 3, -3]
        let bias = [Float](repeating: 0, count: 9)
        var a = [Float](repeating: 7, count: 9)
        Float.biasActivation(&z, bias: bias, &a, rows: 1, cols: 9, kernel: .relu)
        #expect(a[0].bitPattern == Float(0).bitPattern && a[1] == 0 && a[2] == 0, "simd=\(simd)")
        #expect(a[3] == 2 && a[4].isNaN && a[5] == 0 && a[6] == .infinity && a[7] == 3 && a[8] == 0)
        Float.biasActivation(&z, bias: bias, &a, rows: 1, cols: 9, kernel: .sigmoid)
        #expect(a[4].isNaN && a[5] == 0 && a[6] == 1, "simd=\(simd)")
      }
    }

    func check<S: NNScalar>(
      _ type: S.Type, rows: Int, cols: Int, kernel: FusedActivationKernel, inPlace: Bool,
      simd: Bool
    ) {
      var generator = SeededGenerator(seed: UInt64(rows * 1_000 + cols))
      let start = (0..<rows * cols).map { _ in S(generator.uniform(-6, 6)) }
      let bias = (0..<cols).map { _ in S(generator.uniform(-2, 2)) }
      // The two steps apart: Z + b row by row, then the activation's own kernel.
      var expectedZ = start
      for i in 0..<rows {
        for j in 0..<cols { expectedZ[i * cols + j] += bias[j] }
      }
      var expectedA = [S](repeating: 0, count: rows * cols)
      expectedZ.withUnsafeBufferPointer { z in
        expectedA.withUnsafeMutableBufferPointer { a in
          let (z, a, n) = (z.baseAddress!, a.baseAddress!, rows * cols)
          switch kernel {
          case .identity: a.update(from: z, count: n)
          case .sigmoid: S.sigmoid(z, a, count: n)
          case .tanh: S.tanh(z, a, count: n)
          case .relu: for i in 0..<n { a[i] = z[i] <= 0 ? 0 : z[i] }
          }
        }
      }
      var z = start
      var a = [S](repeating: .nan, count: rows * cols)
      z.withUnsafeMutableBufferPointer { z in
        a.withUnsafeMutableBufferPointer { a in
          S.biasActivation(
            z.baseAddress!, bias: bias, inPlace ? z.baseAddress! : a.baseAddress!, rows: rows,
            cols: cols, kernel: kernel)
        }
      }
      let label = "\(S.self) \(rows)×\(cols) \(kernel) inPlace=\(inPlace) simd=\(simd)"
      #expect(z == expectedZ, "\(label): Z + b")
      if !inPlace { #expect(a == expectedA, "\(label): A = g(Z + b)") }
    }
  }

  /// `NNScalar.activationBackward`: `dZ = dA ∘ g'(Z)` for sigmoid, tanh and ReLU must equal the
  /// scalar formulas written here bit for bit, for every length, with SIMD on and off.
  @Suite struct ActivationBackwardTests {
    static let counts = [0, 1, 3, 4, 7, 8, 9, 17, 100, 1_000]

    @Test(arguments: counts)
    func equalsTheScalarFormulasBitForBit(count: Int) {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        for kernel in [FusedActivationKernel.sigmoid, .tanh, .relu] {
          check(Float.self, count: count, kernel: kernel, simd: simd)
          check(Double.self, count: count, kernel: kernel, simd: simd)
        }
      }
    }

    /// ReLU: a NaN input passes NaN back; `z ≤ 0` gives `dA·0` (so an infinite `dA` gives NaN, as
    /// the scalar product does) and `z > 0` gives `dA`.
    @Test func reluSpecialValues() {
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        let z: [Float] = [.nan, 0, -0.0, -1, 1, .infinity, -.infinity, 2, -2]
        let dA: [Float] = [1, .infinity, 2, -3, 4, 5, 6, .nan, -7]
        var dZ = [Float](repeating: 42, count: 9)
        Float.activationBackward(z: z, a: z, dA: dA, dZ: &dZ, count: 9, kernel: .relu)
        #expect(dZ[0].isNaN && dZ[1].isNaN && dZ[2] == 0 && dZ[3] == 0, "simd=\(simd)")
        #expect(dZ[3].sign == .minus && dZ[4] == 4 && dZ[5] == 5 && dZ[6] == 0, "simd=\(simd)")
        #expect(dZ[7].isNaN && dZ[8] == 0, "simd=\(simd)")
      }
    }

    func check<S: NNScalar>(_ type: S.Type, count: Int, kernel: FusedActivationKernel, simd: Bool) {
      var generator = SeededGenerator(seed: UInt64(count * 10) + UInt64(kernel.rawValue))
      let z = (0..<count).map { _ in S(generator.uniform(-3, 3)) }
      let a = (0..<count).map { _ in S(generator.uniform(-1, 1)) }
      let dA = (0..<count).map { _ in S(generator.uniform(-2, 2)) }
      let expected = (0..<count).map { i -> S in
        switch kernel {
        case .sigmoid: return dA[i] * (a[i] * (1 - a[i]))
        case .tanh: return dA[i] * (1 - a[i] * a[i])
        case .relu: return dA[i] * (z[i] > 0 ? 1 : 0)
        case .identity: return dA[i]
        }
      }
      var dZ = [S](repeating: .nan, count: count)
      dZ.withUnsafeMutableBufferPointer { out in
        S.activationBackward(
          z: z, a: a, dA: dA, dZ: out.baseAddress ?? UnsafeMutablePointer(bitPattern: 64)!,
          count: count, kernel: kernel)
      }
      #expect(dZ == expected, "\(S.self) n=\(count) \(kernel) simd=\(simd)")
    }
  }
}
