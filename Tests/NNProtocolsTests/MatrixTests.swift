import NNProtocols
import NNTestSupport
import Testing

/// `op(A)·op(B)` computed the schoolbook way, for comparison with `assignProduct`.
private func naiveProduct(
  _ a: [[Double]], transposed transposeA: Bool, _ b: [[Double]], transposed transposeB: Bool
) -> [[Double]] {
  func transpose(_ m: [[Double]]) -> [[Double]] {
    (0..<(m.first?.count ?? 0)).map { j in m.map { $0[j] } }
  }
  let left = transposeA ? transpose(a) : a
  let right = transposeB ? transpose(b) : b
  return left.map { row in
    (0..<right[0].count).map { j in zip(row, right.map { $0[j] }).reduce(0) { $0 + $1.0 * $1.1 } }
  }
}

@Suite("Matrix")
struct MatrixTests {
  @Test("a new matrix is zero-filled, row-major, with the shape it was given")
  func creation() {
    let zeros = Matrix<Double>(rows: 2, cols: 3)
    #expect(zeros.shape == [2, 3] && zeros.count == 6)
    #expect(zeros.scalars == [0, 0, 0, 0, 0, 0])
    let m = Matrix<Float>([[1, 2, 3], [4, 5, 6]])
    #expect(m.rows == 2 && m.cols == 3)
    #expect(m[0, 2] == 3 && m[1, 0] == 4)
    #expect(m.scalars == [1, 2, 3, 4, 5, 6])
    #expect(Matrix<Float>(rows: 2, cols: 3, scalars: [1, 2, 3, 4, 5, 6]).elementsEqual(m))
    let empty = Matrix<Double>(rows: 0, cols: 4)
    #expect(empty.count == 0 && empty.scalars.isEmpty)
  }

  @Test("copies of a value and row views share elements; copy() does not")
  func sharing() {
    let m = Matrix<Double>([[1, 2], [3, 4], [5, 6]])
    let alias = m
    alias[0, 0] = 10
    #expect(m[0, 0] == 10)
    let middle = m.rows(1..<3)
    #expect(middle.shape == [2, 2] && middle.scalars == [3, 4, 5, 6])
    middle[0, 1] = 40
    #expect(m[1, 1] == 40)
    let independent = m.copy()
    independent[2, 1] = -1
    #expect(m[2, 1] == 6 && independent[2, 1] == -1)
    #expect(independent.storage !== m.storage)
  }

  @Test("reshaped keeps the elements in row-major order and shares them")
  func reshaping() {
    let m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    let column = m.reshaped(rows: 6, cols: 1)
    #expect(column.shape == [6, 1] && column.scalars == m.scalars)
    column[5, 0] = 60
    #expect(m[1, 2] == 60)
  }

  @Test("assign copies elements; fill sets every element")
  func assignAndFill() {
    let target = Matrix<Float>(rows: 2, cols: 2)
    target.assign(Matrix([[1, 2], [3, 4]]))
    #expect(target.scalars == [1, 2, 3, 4])
    target.rows(1..<2).fill(7)
    #expect(target.scalars == [1, 2, 7, 7])
  }

  @Test("converted rounds to the other precision; elementsEqual compares shape and bits")
  func conversionAndEquality() {
    let third = 1.0 / 3
    let m = Matrix<Double>([[third, -2.5]])
    let single = m.converted(to: Float.self)
    #expect(single.scalars == [Float(third), -2.5])
    #expect(single.converted(to: Double.self).scalars == [Double(Float(third)), -2.5])
    #expect(m.elementsEqual(m.copy()))
    #expect(!m.elementsEqual(m.reshaped(rows: 2, cols: 1)))
    #expect(!m.elementsEqual(Matrix([[third, -2.5000001]])))
  }

  @Test("description prints rows in brackets")
  func printing() {
    #expect(Matrix<Double>([[1, 2], [3, 4]]).description == "[[1.0, 2.0],\n [3.0, 4.0]]")
  }

  @Test(
    "assignProduct computes alpha·op(A)·op(B) + beta·C for every transpose",
    arguments: [(false, false), (true, false), (false, true), (true, true)])
  func products(transposeA: Bool, transposeB: Bool) {
    var generator = SeededGenerator(seed: 11)
    // op(A) is 3 × 4 and op(B) is 4 × 5 whatever the transposes.
    let a: Matrix<Double> = randomMatrix(
      rows: transposeA ? 4 : 3, cols: transposeA ? 3 : 4, using: &generator)
    let b: Matrix<Double> = randomMatrix(
      rows: transposeB ? 5 : 4, cols: transposeB ? 4 : 5, using: &generator)
    let c: Matrix<Double> = randomMatrix(rows: 3, cols: 5, using: &generator)
    let before = c.copy()
    c.assignProduct(a, transposed: transposeA, b, transposed: transposeB, alpha: 2, beta: 0.5)
    func rows(_ m: Matrix<Double>) -> [[Double]] {
      (0..<m.rows).map { r in (0..<m.cols).map { m[r, $0] } }
    }
    let product = naiveProduct(rows(a), transposed: transposeA, rows(b), transposed: transposeB)
    let expected = (0..<3).flatMap { i in
      (0..<5).map { j in 2 * product[i][j] + 0.5 * before[i, j] }
    }
    #expect(isApproximatelyEqual(c.scalars, expected, absolute: 1e-12, relative: 1e-12))
  }
}
