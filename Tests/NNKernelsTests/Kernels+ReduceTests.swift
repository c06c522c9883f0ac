import NNKernels
import NNProtocols
import Testing

extension KernelsTests {
  /// `Kernels.sumRows`: the column sums `sums[j] = Σ_i x[i·ld + j]` that make a dense layer's bias
  /// gradient. Each column is added row by row in order on every path, so the result must equal a
  /// plain sequential loop bit for bit.
  @Suite struct ReduceTests {
    /// Rows, columns and the row stride `ld`: one column, fewer columns than a vector, the vector
    /// widths and their multiples, a remainder after whole vectors, padded rows, no rows; and every
    /// width from 1 to 40 (1 to 8 vectors in the last pass, each count of leftover lanes), contiguous
    /// and padded.
    static let shapes: [(rows: Int, cols: Int, ld: Int)] =
      [
        (1, 1, 1), (100, 1, 1), (100, 1, 3), (7, 3, 3), (5, 4, 4), (5, 8, 8), (33, 20, 20),
        (9, 32, 35), (64, 37, 37), (3, 70, 71), (0, 6, 6), (11, 100, 100), (6, 65, 67),
      ] + (1...40).flatMap { cols in [(13, cols, cols), (4, cols, cols + 3)] }

    @Test(arguments: shapes)
    func sumsEqualASequentialLoopBitForBit(rows: Int, cols: Int, ld: Int) {
      var generator = SeededGenerator(seed: UInt64(rows * 1_000 + cols * 10 + ld))
      let values = (0..<max(rows * ld, 1)).map { _ in generator.uniform(-100, 100) }
      forEachKernelConfiguration(threads: [1]) { simd, _ in
        check(values.map { Float($0) }, rows: rows, cols: cols, ld: ld, simd: simd)
        check(values, rows: rows, cols: cols, ld: ld, simd: simd)
      }
    }

    func check<S: NNScalar>(_ values: [S], rows: Int, cols: Int, ld: Int, simd: Bool) {
      var expected = [S](repeating: 0, count: cols)
      for i in 0..<rows {
        for j in 0..<cols { expected[j] += values[i * ld + j] }
      }
      var sums = [S](repeating: .nan, count: cols)
      values.withUnsafeBufferPointer { x in
        sums.withUnsafeMutableBufferPointer { out in
          S.sumRows(x.baseAddress!, rows: rows, cols: cols, ld: ld, into: out.baseAddress!)
        }
      }
      #expect(sums == expected, "\(S.self) \(rows)×\(cols) ld=\(ld) simd=\(simd)")
    }
  }
}
