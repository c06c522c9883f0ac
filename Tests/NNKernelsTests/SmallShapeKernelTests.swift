import NNKernels
import NNProtocols
import NNTestSupport
import Testing

/// Products small enough for the direct path, in the shapes a tiny network makes (the tutorial's
/// 1-20-1 sine network with a batch of 100) and around them: every count of leftover columns or inner
/// elements past whole vectors (1 to 7 in `Float`, 1 to 3 in `Double`), with and without padded rows.
enum SmallShapes {
  /// k = 1, one outer product `C = alpha·a·bᵀ + beta·C` for each width up to two vectors and beyond.
  static let outer: [(Int, Int, Int)] =
    (1...17).map { (5, $0, 1) } + [(100, 20, 1), (37, 33, 1), (1, 1, 1)]

  /// One row or one column of C from the other operand's contiguous rows: widths 1 to 25 and past
  /// three vectors, inner dimensions short, odd, and the batch of 100.
  static let rowsAndColumns: [(Int, Int, Int)] =
    ([Array(1...25), [40, 49]].joined()).flatMap { width in
      [2, 5, 100].flatMap { k in [(1, width, k), (width, 1, k)] }
    }

  /// Dot products: a single column of C, or few columns of A·Bᵀ, with inner dimensions 1 to 20 and
  /// longer, and row counts around the blocks of eight rows.
  static let dots: [(Int, Int, Int)] =
    [1, 7, 8, 9, 100].flatMap { m in [Array(1...20), [33, 100]].joined().map { k in (m, 1, k) } }
    + [(9, 10, 20), (17, 16, 23), (100, 3, 17)]
}

extension KernelsTests {
  @Suite struct SmallShapeTests {
    /// The product of `m × n × k` against the `Double` reference (see `expectProductsMatchReference`),
    /// with beta = 1 (a bias riding along) added to the shared alpha/beta/padding variants.
    func check(m: Int, n: Int, k: Int) {
      expectProductsMatchReference(
        m: m, n: n, k: k, variants: scalarVariants + [(alpha: 1, beta: 1, padding: 0)],
        seed: UInt64(m * 7_919 + n * 104_729 + k))
    }

    @Test(arguments: SmallShapes.outer)
    func outerProductsMatchTheReference(m: Int, n: Int, k: Int) {
      check(m: m, n: n, k: k)
    }

    @Test(arguments: SmallShapes.rowsAndColumns)
    func singleRowsAndColumnsMatchTheReference(m: Int, n: Int, k: Int) {
      check(m: m, n: n, k: k)
    }

    @Test(arguments: SmallShapes.dots)
    func dotProductsMatchTheReference(m: Int, n: Int, k: Int) {
      check(m: m, n: n, k: k)
    }

    /// An outer product stored back to back (alpha 1, beta 0, ldc = n) writes each row's last vector
    /// whole, over the start of the next row: every element is exactly a_i·b_j, and nothing past C's
    /// last element (guard values after it) is touched, for every width and row count around the
    /// vector sizes.
    @Test func backToBackOuterProductsStayInsideC() {
      var generator = SeededGenerator(seed: 11)
      for m in [1, 2, 3, 5, 9, 100] {
        for n in 1...33 {
          let a = (0..<m).map { _ in Float(generator.normal()) }
          let b = (0..<n).map { _ in Float(generator.normal()) }
          let guardValue: Float = 12_345
          var c = [Float](repeating: guardValue, count: m * n + 16)
          c.withUnsafeMutableBufferPointer { buffer in
            Kernels.gemm(
              transposeA: false, transposeB: true, m: m, n: n, k: 1, alpha: 1, a: a, lda: 1,
              b: b, ldb: 1, beta: 0, c: buffer.baseAddress!, ldc: n)
          }
          let expected = (0..<m * n).map { a[$0 / n] * b[$0 % n] }
          #expect(Array(c[..<(m * n)]) == expected, "m = \(m), n = \(n)")
          #expect(c[(m * n)...].allSatisfy { $0 == guardValue }, "m = \(m), n = \(n)")
          var d = [Double](repeating: Double(guardValue), count: m * n + 8)
          d.withUnsafeMutableBufferPointer { buffer in
            Kernels.gemm(
              transposeA: false, transposeB: true, m: m, n: n, k: 1, alpha: 1,
              a: a.map(Double.init), lda: 1, b: b.map(Double.init), ldb: 1, beta: 0,
              c: buffer.baseAddress!, ldc: n)
          }
          #expect(
            Array(d[..<(m * n)]) == (0..<m * n).map { Double(a[$0 / n]) * Double(b[$0 % n]) },
            "m = \(m), n = \(n)")
          #expect(d[(m * n)...].allSatisfy { $0 == Double(guardValue) }, "m = \(m), n = \(n)")
        }
      }
    }

    /// The direct path computes every element by one fixed sequence of operations: repeated calls
    /// give the same bits, on one thread or two.
    @Test(arguments: [(100, 20, 1), (100, 1, 20), (1, 20, 100), (20, 1, 100)])
    func smallProductsAreBitIdenticalAcrossCallsAndThreadCounts(m: Int, n: Int, k: Int) {
      for transposeA in [false, true] {
        let product = ProductCase(
          ProductShape(m: m, n: n, k: k, transposeA: transposeA, transposeB: true, beta: 1),
          seed: 5, reference: false)
        var runs: [[Float]] = []
        var doubleRuns: [[Double]] = []
        forEachKernelConfiguration(threads: [1, 2, 1]) { simd, _ in
          if simd {
            runs.append(product.run(as: Float.self))
            doubleRuns.append(product.run(as: Double.self))
          }
        }
        for run in 1..<runs.count {
          #expect(runs[run].map(\.bitPattern) == runs[0].map(\.bitPattern))
          #expect(doubleRuns[run].map(\.bitPattern) == doubleRuns[0].map(\.bitPattern))
        }
      }
    }
  }
}
