import NNProtocols

extension Preprocessing {
  /// One-hot encoding of class indices: row `i` of the result is 1 in column `targets[i]` and 0
  /// elsewhere, `[samples, classes]` (what a softmax output is compared with).
  ///
  /// - Precondition: `targets` is one column of whole numbers in `0..<classes`.
  public static func oneHot(_ targets: Matrix<Double>, classes: Int) -> Matrix<Double> {
    precondition(targets.cols == 1, "oneHot: targets must be one column of class indices")
    let result = Matrix<Double>(rows: targets.rows, cols: classes)
    for row in 0..<targets.rows {
      let value = targets.base[row]
      let index = Int(exactly: value) ?? -1
      precondition(
        index >= 0 && index < classes, "oneHot: class index \(value) is not in 0..<\(classes)")
      result.base[row * classes + index] = 1
    }
    return result
  }

  /// The class indices of one-hot (or probability) rows: the column of each row's largest value.
  public static func classIndices(ofOneHot encoded: Matrix<Double>) -> Matrix<Double> {
    let result = Matrix<Double>(rows: encoded.rows, cols: 1)
    for row in 0..<encoded.rows {
      let values = encoded.base + row * encoded.cols
      var best = 0
      for c in 1..<max(encoded.cols, 1) where values[c] > values[best] { best = c }
      result.base[row] = Double(best)
    }
    return result
  }
}
