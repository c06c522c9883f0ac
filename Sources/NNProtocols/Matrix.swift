/// The elements behind one or more `Matrix` values.
public final class MatrixStorage<Scalar: NNScalar> {
  /// The first element.
  public let base: UnsafeMutablePointer<Scalar>
  /// The number of elements allocated.
  public let capacity: Int
  /// The storage whose memory this one shows, kept alive; `nil` when this one owns its memory.
  private let owner: MatrixStorage?

  init(capacity: Int) {
    self.capacity = capacity
    owner = nil
    // Aligned to a cache line (64 bytes), so two matrices never share one: threads that write
    // different matrices do not take each other's lines.
    let bytes = Swift.max(capacity, 1) * MemoryLayout<Scalar>.stride
    let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    // All-zero bytes are 0.0 in Float and Double: one memset instead of a generic element loop.
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    base = memory.bindMemory(to: Scalar.self, capacity: Swift.max(capacity, 1))
  }

  /// A second handle on `count` elements of `owner`'s memory from `offset`, freeing nothing.
  init(viewing owner: MatrixStorage, offset: Int, count: Int) {
    self.owner = owner
    base = owner.base + offset
    capacity = count
  }

  deinit {
    if owner == nil { UnsafeMutableRawPointer(base).deallocate() }
  }
}

/// A row-major matrix of `rows × cols` scalars: the tensor type every component speaks.
///
/// A batch is a matrix with one sample per row (`[batch, features]`); a dense layer's weight is
/// `[outputs, inputs]`, as in the tutorials and `torch.nn.Linear`.
///
/// `Matrix` has *reference* semantics for its elements, like a NumPy array or a PyTorch tensor: copies of
/// a `Matrix` value, and views made with `rows(_:)`, share elements, so layers can write into workspaces
/// they own without allocating. Use `copy()` for an independent matrix.
public struct Matrix<Scalar: NNScalar>: CustomStringConvertible {
  /// The number of rows (samples, for a batch).
  public let rows: Int
  /// The number of columns (features, for a batch).
  public let cols: Int
  /// The shared elements.
  public let storage: MatrixStorage<Scalar>
  /// Where this matrix's first element sits in `storage`.
  public let offset: Int

  /// A zero-filled matrix.
  public init(rows: Int, cols: Int) {
    precondition(
      rows >= 0 && cols >= 0, "Matrix shape must not be negative, got [\(rows), \(cols)]")
    self.rows = rows
    self.cols = cols
    storage = MatrixStorage(capacity: rows * cols)
    offset = 0
  }

  /// A matrix holding `scalars` in row-major order.
  public init(rows: Int, cols: Int, scalars: [Scalar]) {
    precondition(
      scalars.count == rows * cols,
      "Matrix [\(rows), \(cols)] needs \(rows * cols) scalars, got \(scalars.count)")
    self.init(rows: rows, cols: cols)
    scalars.withUnsafeBufferPointer { source in
      if let from = source.baseAddress { base.update(from: from, count: source.count) }
    }
  }

  /// A matrix from nested rows, e.g. `Matrix([[1, 2], [3, 4]])`.
  public init(_ rowValues: [[Scalar]]) {
    let cols = rowValues.first?.count ?? 0
    precondition(
      rowValues.allSatisfy { $0.count == cols }, "Matrix rows must all have \(cols) values")
    self.init(rows: rowValues.count, cols: cols, scalars: rowValues.flatMap { $0 })
  }

  init(storage: MatrixStorage<Scalar>, offset: Int, rows: Int, cols: Int) {
    self.storage = storage
    self.offset = offset
    self.rows = rows
    self.cols = cols
  }

  /// The number of elements, `rows × cols`.
  @inlinable public var count: Int { rows * cols }

  /// The first element; the elements are contiguous, row after row.
  @inlinable public var base: UnsafeMutablePointer<Scalar> { storage.base + offset }

  /// The elements as a buffer.
  @inlinable public var buffer: UnsafeMutableBufferPointer<Scalar> {
    UnsafeMutableBufferPointer(start: base, count: count)
  }

  /// The element at `row`, `col`.
  @inlinable
  public subscript(row: Int, col: Int) -> Scalar {
    get {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index out of range")
      return base[row * cols + col]
    }
    nonmutating set {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index out of range")
      base[row * cols + col] = newValue
    }
  }

  /// The elements in row-major order, copied into an array.
  public var scalars: [Scalar] { Array(buffer) }

  /// The shape as `[rows, cols]`.
  public var shape: [Int] { [rows, cols] }

  /// A view of rows `range` that shares this matrix's elements.
  public func rows(_ range: Range<Int>) -> Matrix {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range out of bounds")
    return Matrix(
      storage: storage, offset: offset + range.lowerBound * cols, rows: range.count, cols: cols)
  }

  /// A `1 × range.count` view of the elements `range`, counted in row-major order from the first.
  public func elements(_ range: Range<Int>) -> Matrix {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "element range out of bounds")
    return Matrix(storage: storage, offset: offset + range.lowerBound, rows: 1, cols: range.count)
  }

  /// The same elements behind a storage object of their own: a view whose reference count is not
  /// shared with the matrix's other views. Every copy of a `Matrix` counts a reference on its storage,
  /// and threads counting references on one object take its cache line from each other; a thread
  /// that works on its own part of a matrix while others work on theirs uses such a view.
  public func separatelyCounted() -> Matrix {
    Matrix(
      storage: MatrixStorage(viewing: storage, offset: offset, count: count), offset: 0, rows: rows,
      cols: cols)
  }

  /// A view of the same elements with another shape of the same count.
  public func reshaped(rows newRows: Int, cols newCols: Int) -> Matrix {
    precondition(
      newRows * newCols == count, "cannot reshape [\(rows), \(cols)] to [\(newRows), \(newCols)]")
    return Matrix(storage: storage, offset: offset, rows: newRows, cols: newCols)
  }

  /// An independent copy of the elements.
  public func copy() -> Matrix {
    let result = Matrix(rows: rows, cols: cols)
    result.base.update(from: base, count: count)
    return result
  }

  /// Copies `other`'s elements into this matrix (same shape).
  public func assign(_ other: Matrix) {
    precondition(other.rows == rows && other.cols == cols, "assign: shape mismatch")
    base.update(from: other.base, count: count)
  }

  /// Sets every element to `value`.
  public func fill(_ value: Scalar) {
    base.update(repeating: value, count: count)
  }

  /// The same values in another precision.
  @_specialize(where Scalar == Double, Other == Float)
  @_specialize(where Scalar == Double, Other == Double)
  @_specialize(where Scalar == Float, Other == Double)
  @_specialize(where Scalar == Float, Other == Float)
  public func converted<Other: NNScalar>(to type: Other.Type = Other.self) -> Matrix<Other> {
    let result = Matrix<Other>(rows: rows, cols: cols)
    for i in 0..<count { result.base[i] = Other(base[i]) }
    return result
  }

  /// Whether both matrices have the same shape and elements.
  public func elementsEqual(_ other: Matrix) -> Bool {
    rows == other.rows && cols == other.cols && buffer.elementsEqual(other.buffer)
  }

  public var description: String {
    let body = (0..<rows).map { r in
      "[" + (0..<cols).map { "\(self[r, $0])" }.joined(separator: ", ") + "]"
    }
    return "[" + body.joined(separator: ",\n ") + "]"
  }
}

extension Matrix {
  /// `self = alpha·op(A)·op(B) + beta·self`, the three products back-propagation needs without
  /// materialising a transpose: `A·B`, `Aᵀ·B` and `A·Bᵀ`.
  public func assignProduct(
    _ a: Matrix, transposed transposeA: Bool = false, _ b: Matrix,
    transposed transposeB: Bool = false, alpha: Scalar = 1, beta: Scalar = 0
  ) {
    let (m, k) = transposeA ? (a.cols, a.rows) : (a.rows, a.cols)
    let (kb, n) = transposeB ? (b.cols, b.rows) : (b.rows, b.cols)
    precondition(k == kb, "product: inner dimensions differ (\(k) and \(kb))")
    precondition(
      rows == m && cols == n, "product: result is [\(rows), \(cols)], expected [\(m), \(n)]")
    Scalar.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
      a: a.base, lda: a.cols, b: b.base, ldb: b.cols, beta: beta, c: base, ldc: cols)
  }
}
