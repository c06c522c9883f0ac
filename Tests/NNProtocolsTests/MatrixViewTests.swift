import NNProtocols
import Testing

/// A weak handle on a storage object, to see when it is freed.
private final class WeakStorage<Scalar: NNScalar> {
  weak var storage: MatrixStorage<Scalar>?

  init(_ storage: MatrixStorage<Scalar>) { self.storage = storage }
}

/// Puts in `view` a separately counted view of a 3×4 matrix holding 0, 1, …, 11, made in a scope
/// that drops every other reference to the matrix, and returns a weak handle on the matrix's storage.
private func makeViewOutlivingItsMatrix(into view: inout Matrix<Double>?) -> WeakStorage<Double> {
  let matrix = Matrix<Double>(rows: 3, cols: 4, scalars: (0..<12).map(Double.init))
  view = matrix.separatelyCounted()
  return WeakStorage(matrix.storage)
}

@Suite("Matrix views") struct MatrixViewTests {
  @Test("elements(_:) is a 1×count view of elements in row-major order")
  func elementsIsARowMajorRowView() {
    let matrix = Matrix<Float>(rows: 3, cols: 4, scalars: (0..<12).map(Float.init))
    for range in [0..<12, 0..<1, 3..<9, 5..<6, 11..<12, 7..<7] {
      let view = matrix.elements(range)
      #expect(view.shape == [1, range.count], "\(range)")
      #expect(view.scalars == range.map(Float.init), "\(range)")
      #expect(view.storage === matrix.storage, "\(range): the view shares the matrix's storage")
    }
  }

  @Test("elements(_:) counts from the first element of a view, not of the storage")
  func elementsOfAViewStartAtTheView() {
    let matrix = Matrix<Double>(rows: 4, cols: 3, scalars: (0..<12).map(Double.init))
    // Rows 1..<3 hold 3, 4, …, 8; their elements 2..<5 are 5, 6, 7.
    let view = matrix.rows(1..<3).elements(2..<5)
    #expect(view.scalars == [5, 6, 7])
    #expect(view.offset == 5)
    // And a view of a view.
    #expect(view.elements(1..<3).scalars == [6, 7])
    #expect(matrix.separatelyCounted().elements(10..<12).scalars == [10, 11])
  }

  @Test("writes through elements(_:) reach the matrix and the other way round")
  func elementsSharesMemory() {
    let matrix = Matrix<Double>(rows: 2, cols: 3)
    let view = matrix.elements(2..<5)  // (0, 2), (1, 0), (1, 1): across the row boundary
    view[0, 0] = 7
    view[0, 1] = 8
    view[0, 2] = 9
    #expect(matrix.scalars == [0, 0, 7, 8, 9, 0])
    matrix[1, 1] = -1
    #expect(view.scalars == [7, 8, -1])
  }

  @Test("separatelyCounted() has the same elements and shape behind a storage of its own")
  func separatelyCountedSharesElements() {
    let matrix = Matrix<Float>(rows: 3, cols: 5, scalars: (0..<15).map { Float($0) * 0.5 })
    let part = matrix.rows(1..<3)
    let view = part.separatelyCounted()
    #expect(view.shape == part.shape)
    #expect(view.scalars == part.scalars)
    #expect(view.base == part.base)
    #expect(view.storage !== matrix.storage)

    view[0, 4] = 100
    #expect(matrix[1, 4] == 100)
    matrix[2, 0] = -3
    #expect(view[1, 0] == -3)
    // The row outside the view is untouched.
    #expect(matrix.rows(0..<1).scalars == [0, 0.5, 1, 1.5, 2])
  }

  @Test("a separately counted view keeps the memory alive after the matrix is gone")
  func separatelyCountedKeepsTheMemoryAlive() {
    var view: Matrix<Double>?
    let original = makeViewOutlivingItsMatrix(into: &view)
    // The matrix's storage lives on, held by the view's storage.
    #expect(original.storage != nil)
    #expect(view?.scalars == (0..<12).map(Double.init))
    view?[2, 3] = 42
    #expect(view?[2, 3] == 42)
    #expect(original.storage?.base[11] == 42)

    // A view of the view keeps it alive in turn.
    var second: Matrix<Double>? = view?.rows(2..<3).separatelyCounted()
    view = nil
    #expect(original.storage != nil)
    #expect(second?.scalars == [8, 9, 10, 42])

    second = nil
    #expect(original.storage == nil, "the matrix's storage is freed once no view remains")
  }

  @Test(
    "new matrices start on a 64-byte boundary",
    arguments: [(0, 0), (1, 1), (1, 3), (3, 5), (7, 9), (16, 16), (33, 65), (1, 1_000)])
  func storageIsCacheLineAligned(rows: Int, cols: Int) {
    // Several of each, all alive at once, so each comes from a different allocation.
    let floats = (0..<4).map { _ in Matrix<Float>(rows: rows, cols: cols) }
    let doubles = (0..<4).map { _ in
      Matrix<Double>(rows: rows, cols: cols, scalars: Array(repeating: 1, count: rows * cols))
    }
    for matrix in floats {
      #expect(Int(bitPattern: matrix.base) % 64 == 0, "Float [\(rows), \(cols)]")
    }
    for matrix in doubles {
      #expect(Int(bitPattern: matrix.base) % 64 == 0, "Double [\(rows), \(cols)]")
    }
  }
}
