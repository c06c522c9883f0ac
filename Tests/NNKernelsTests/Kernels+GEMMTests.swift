import Foundation
import NNKernels
import NNProtocols
import NNTestSupport
import Synchronization
import Testing

/// The shape and scalars of one product `C = alpha·op(A)·op(B) + beta·C`.
struct ProductShape: Sendable, CustomStringConvertible {
  var m: Int
  var n: Int
  var k: Int
  var transposeA = false
  var transposeB = false
  var alpha = 1.0
  var beta = 0.0
  /// Extra elements at the end of every stored row of A, B and C (a sub-matrix view).
  var padding = 0

  var description: String {
    "\(m)×\(n)×\(k) \(transposeA ? "T" : "N")\(transposeB ? "T" : "N") α=\(alpha) β=\(beta) pad=\(padding)"
  }
}

/// A product's operands as stored (row-major, with padding), in `Double` holding values that are exact
/// in `Float`, so one reference serves both precisions; and the reference computed with `Double` sums.
struct ProductCase {
  let shape: ProductShape
  let a: [Double]
  let lda: Int
  let b: [Double]
  let ldb: Int
  /// C before the product (NaN where `beta == 0`: it must not be read), row stride `ldc`.
  let c: [Double]
  let ldc: Int
  /// `alpha·Σ_p op(A)[i][p]·op(B)[p][j] + beta·C[i][j]`, row stride `n`.
  let expected: [Double]
  /// `|alpha|·Σ_p |op(A)[i][p]·op(B)[p][j]| + |beta·C[i][j]|`, the scale of each element's rounding.
  let magnitude: [Double]

  /// The value marking padding, which the product must leave alone.
  static let sentinel = -777.0

  /// Makes the operands from `seed`; the reference is left empty when `reference` is false.
  init(_ shape: ProductShape, seed: UInt64, reference: Bool = true) {
    self.shape = shape
    var generator = SeededGenerator(seed: seed)
    let (m, n, k) = (shape.m, shape.n, shape.k)
    let (aRows, aCols) = shape.transposeA ? (k, m) : (m, k)
    let (bRows, bCols) = shape.transposeB ? (n, k) : (k, n)
    func stored(rows: Int, cols: Int, fill: () -> Double) -> ([Double], Int) {
      let stride = cols + shape.padding
      var values = [Double](repeating: ProductCase.sentinel, count: rows * stride)
      for r in 0..<rows { for c in 0..<cols { values[r * stride + c] = fill() } }
      return (values, stride)
    }
    (a, lda) = stored(rows: aRows, cols: aCols) { Double(Float(generator.normal())) }
    (b, ldb) = stored(rows: bRows, cols: bCols) { Double(Float(generator.normal())) }
    (c, ldc) = stored(rows: m, cols: n) {
      shape.beta == 0 ? .nan : Double(Float(generator.normal()))
    }
    var expected = [Double](repeating: 0, count: reference ? m * n : 0)
    var magnitude = expected
    let (a, lda, b, ldb, c, ldc) = (a, lda, b, ldb, c, ldc)
    for i in 0..<(reference ? m : 0) {
      for j in 0..<n {
        var sum = 0.0
        var size = 0.0
        for p in 0..<k {
          let x = shape.transposeA ? a[p * lda + i] : a[i * lda + p]
          let y = shape.transposeB ? b[j * ldb + p] : b[p * ldb + j]
          sum += x * y
          size += abs(x * y)
        }
        let old = shape.beta == 0 ? 0 : shape.beta * c[i * ldc + j]
        expected[i * n + j] = shape.alpha * sum + old
        magnitude[i * n + j] = abs(shape.alpha) * size + abs(old)
      }
    }
    self.expected = expected
    self.magnitude = magnitude
  }

  /// Runs the product in precision `S` and returns the stored C (padding included).
  func run<S: NNScalar>(as type: S.Type) -> [S] {
    let a = self.a.map { S($0) }
    let b = self.b.map { S($0) }
    var c = self.c.map { S($0) }
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          S.gemm(
            transposeA: shape.transposeA, transposeB: shape.transposeB, m: shape.m, n: shape.n,
            k: shape.k, alpha: S(shape.alpha), a: a.baseAddress!, lda: lda, b: b.baseAddress!,
            ldb: ldb, beta: S(shape.beta), c: c.baseAddress!, ldc: ldc)
        }
      }
    }
    return c
  }

  /// The elements of `result` outside the rounding bound `(k + 2)·ε·magnitude` (as descriptions), and
  /// any padding element that changed.
  func mismatches<S: NNScalar>(_ result: [S]) -> [String] {
    var found: [String] = []
    let epsilon = Double(S.ulpOfOne)
    for i in 0..<shape.m {
      for j in 0..<shape.n {
        let value = Double(result[i * ldc + j])
        let reference = expected[i * shape.n + j]
        let bound =
          Double(shape.k + 2) * epsilon * magnitude[i * shape.n + j]
          + Double(S.leastNormalMagnitude)
        if !(abs(value - reference) <= bound) {
          found.append("C[\(i), \(j)] = \(value), expected \(reference) ± \(bound)")
        }
      }
      for j in shape.n..<ldc where Double(result[i * ldc + j]) != ProductCase.sentinel {
        found.append("padding C[\(i), \(j)] was overwritten")
      }
    }
    return found
  }
}

/// Shapes covering the direct path, the blocked path and every edge: single rows and columns, primes,
/// non-multiples of the 6-row and 16/8-column register tiles and of the cache blocks (256 deep,
/// 144/72 rows, 2048/1024 columns), and a transposed B with short and long inner dimensions. Products
/// above 48³ (Float) or 40³ (Double) multiply-adds take the packed path, the others the direct path
/// (which computes Cᵀ, copies an operand, or takes dot products for A·Bᵀ with at most 16 columns, as
/// 150 × 10 × 130 does above that size); those above 2²¹ (Float) or
/// 2²⁰ (Double) multiply-adds are split over the threads by rows or columns.
let productShapes: [(Int, Int, Int)] = [
  (1, 1, 1), (1, 37, 5), (37, 1, 5), (1, 45, 90), (60, 1, 70), (1, 1, 300), (4, 4, 3), (100, 20, 1),
  (7, 13, 5), (9, 10, 40), (37, 9, 1), (5, 40, 1),
  (5, 300, 4), (6, 16, 256), (40, 45, 50), (12, 32, 512), (67, 129, 33), (150, 17, 70),
  (13, 2100, 9),
  (151, 45, 259), (130, 200, 96), (150, 10, 130),
]

/// alpha, beta and row padding: overwrite (C holds NaN), scale and accumulate, through sub-matrix views.
let scalarVariants: [(alpha: Double, beta: Double, padding: Int)] = [
  (1, 0, 0), (0.5, -2, 3), (-1.25, 1, 1),
]

/// Checks `C = alpha·op(A)·op(B) + beta·C` for `m × n × k` against the `Double` reference, within the
/// rounding bound, for every transpose and each alpha/beta/padding variant, in `Float` and `Double`,
/// on both code paths and 1 and 2 threads; padding of C must be left alone.
func expectProductsMatchReference(
  m: Int, n: Int, k: Int, variants: [(alpha: Double, beta: Double, padding: Int)], seed: UInt64
) {
  for transposeA in [false, true] {
    for transposeB in [false, true] {
      for variant in variants {
        let shape = ProductShape(
          m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
          alpha: variant.alpha, beta: variant.beta, padding: variant.padding)
        let product = ProductCase(shape, seed: seed)
        forEachKernelConfiguration { simd, threads in
          let single = product.mismatches(product.run(as: Float.self))
          #expect(
            single.isEmpty,
            "Float \(shape) simd=\(simd) threads=\(threads): \(single.prefix(3))")
          let double = product.mismatches(product.run(as: Double.self))
          #expect(
            double.isEmpty,
            "Double \(shape) simd=\(simd) threads=\(threads): \(double.prefix(3))")
        }
      }
    }
  }
}

extension KernelsTests {
  @Suite struct GEMMTests {
    @Test(arguments: productShapes)
    func matchesDoubleReferenceForEveryTransposeAndPath(m: Int, n: Int, k: Int) {
      expectProductsMatchReference(
        m: m, n: n, k: k, variants: scalarVariants, seed: UInt64(m * 1_000_003 + n * 1_009 + k))
    }

    @Test func emptyInnerDimensionScalesC() {
      for beta in [0.0, 2.5] {
        let product = ProductCase(ProductShape(m: 5, n: 7, k: 0, beta: beta, padding: 2), seed: 3)
        forEachKernelConfiguration(threads: [1]) { simd, _ in
          let result = product.run(as: Float.self)
          #expect(product.mismatches(result).isEmpty, "beta=\(beta) simd=\(simd)")
          // With beta = 0 the NaN that C held is replaced by exact zeros.
          if beta == 0 { #expect((0..<5).allSatisfy { result[$0 * product.ldc] == 0 }) }
          #expect(product.mismatches(product.run(as: Double.self)).isEmpty)
        }
      }
    }

    @Test func zeroAlphaIgnoresTheProduct() {
      // alpha = 0: C = beta·C, even where A holds NaN (BLAS semantics: A and B are not used).
      let m = 40
      let n = 50
      let k = 60
      let a = [Float](repeating: .nan, count: m * k)
      let b = [Float](repeating: 1, count: k * n)
      var c = (0..<(m * n)).map { Float($0) }
      forEachKernelConfiguration(threads: [2]) { _, _ in
        c = (0..<(m * n)).map { Float($0) }
        Kernels.gemm(
          transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 0, a: a, lda: k, b: b,
          ldb: n, beta: 0.5, c: &c, ldc: n)
        #expect(c == (0..<(m * n)).map { Float($0) * 0.5 })
      }
    }

    @Test func resultsAreBitIdenticalAcrossCallsAndThreadCounts() {
      for (m, n, k) in [(160, 200, 260), (37, 700, 65)] {
        for transposeB in [false, true] {
          let product = ProductCase(
            ProductShape(m: m, n: n, k: k, transposeB: transposeB, alpha: 0.75, beta: 0.5),
            seed: 11, reference: false)
          var runs: [[Float]] = []
          var doubleRuns: [[Double]] = []
          forEachKernelConfiguration(threads: [1, 2, 2, 3]) { _, _ in
            runs.append(product.run(as: Float.self))
            doubleRuns.append(product.run(as: Double.self))
          }
          // Per path (first four runs: SIMD where available, last four: portable), every run agrees bit
          // for bit with the first.
          for path in [0, 4] {
            for run in 1..<4 {
              #expect(runs[path + run].map(\.bitPattern) == runs[path].map(\.bitPattern))
              #expect(
                doubleRuns[path + run].map(\.bitPattern) == doubleRuns[path].map(\.bitPattern))
            }
          }
        }
      }
    }

    @Test func concurrentCallersGetCorrectResults() {
      // Two products large enough to be split over the pool's threads, two run by the caller alone.
      let shapes = [
        ProductShape(m: 160, n: 120, k: 120),
        ProductShape(m: 128, n: 150, k: 120, transposeB: true),
        ProductShape(m: 20, n: 20, k: 20, transposeA: true), ProductShape(m: 150, n: 40, k: 90),
      ]
      let cases = shapes.enumerated().map { ProductCase($1, seed: UInt64($0 + 100)) }
      let failures = Mutex<[String]>([])
      let group = DispatchGroup()
      for worker in 0..<6 {
        group.enter()
        // Each caller asks for 2 threads for its own products (a count of its thread only).
        let thread = Thread {
          Kernels.withThreadCount(2) {
            for round in 0..<8 {
              let product = cases[(worker + round) % cases.count]
              let problems =
                product.mismatches(product.run(as: Float.self))
                + product.mismatches(product.run(as: Double.self))
              if !problems.isEmpty {
                failures.withLock { $0.append("thread \(worker): \(problems.prefix(2))") }
              }
            }
          }
          group.leave()
        }
        thread.start()
      }
      group.wait()
      #expect(failures.withLock { $0 }.isEmpty)
    }

    @Test func matrixProductUsesTheKernel() {
      // Matrix.assignProduct (NNProtocols) goes through Kernels.gemm: dW = dZᵀ·X as in back-propagation.
      let dZ = Matrix<Double>([[1, 2], [3, 4], [5, 6]])  // [batch 3, outputs 2]
      let x = Matrix<Double>([[1, 0, -1], [2, 1, 0], [0, 1, 1]])  // [batch 3, inputs 3]
      let dW = Matrix<Double>(rows: 2, cols: 3)
      dW.assignProduct(dZ, transposed: true, x)
      // dW[o][i] = Σ_b dZ[b][o]·x[b][i]
      #expect(dW.scalars == [7, 8, 4, 10, 10, 4])
    }
  }
}
