import NNProtocols

/// A matrix a layer owns and reuses from step to step: sized for the largest batch seen so far and
/// handed out as a view of its first `batch` rows.
///
/// After the first step with the largest batch, asking for rows allocates nothing: a training step
/// writes into the same memory every time (the tutorials keep every `Z` and `A`; so do we, in place).
public struct Workspace<S: NNScalar> {
  /// Features per row.
  public let cols: Int
  /// The allocated rows; grown (never shrunk) when a larger batch arrives.
  private var storage: Matrix<S>

  /// An empty workspace for rows of `cols` features; memory is allocated on first use.
  public init(cols: Int) {
    self.cols = cols
    storage = Matrix(rows: 0, cols: cols)
  }

  /// The number of rows allocated.
  public var capacity: Int { storage.rows }

  /// A view of the first `batch` rows, allocating only when `batch` exceeds every earlier batch.
  ///
  /// The contents are whatever the last pass wrote: callers overwrite before reading.
  public mutating func rows(_ batch: Int) -> Matrix<S> {
    if batch > storage.rows { storage = Matrix(rows: batch, cols: cols) }
    return storage.rows(0..<batch)
  }

  /// A view of the first `batch` rows of what is already allocated (`batch ≤ capacity`): the
  /// non-mutating `rows`, for threads that share the workspace after one of them has grown it.
  public func grownRows(_ batch: Int) -> Matrix<S> {
    precondition(batch <= storage.rows, "workspace: \(batch) rows asked, \(storage.rows) allocated")
    return storage.rows(0..<batch)
  }

  /// A copy with its own memory (for a layer's `copy()`), of the same capacity.
  public func copy() -> Workspace {
    var result = Workspace(cols: cols)
    result.storage = Matrix(rows: storage.rows, cols: cols)
    return result
  }
}
