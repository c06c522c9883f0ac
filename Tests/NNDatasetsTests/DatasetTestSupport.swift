import Foundation
import NNProtocols
import NNTestSupport
import Testing

/// The repository's `Data/` folder, found from this file's path (Tests/NNDatasetsTests/…).
let dataFolder: String = {
  var parts = URL(fileURLWithPath: #filePath).pathComponents
  parts.removeLast(3)
  return NSString.path(withComponents: parts + ["Data"])
}()

/// Runs `body`, expects it to throw an `InputError`, and returns that error for its message to be
/// checked.
func inputError(
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any
) -> InputError? {
  #expect(throws: InputError.self, sourceLocation: sourceLocation) { _ = try body() }
}

/// The column of a matrix, copied.
func column(_ matrix: Matrix<Double>, _ index: Int) -> [Double] {
  (0..<matrix.rows).map { matrix[$0, index] }
}

/// How many samples of each class a classification data set holds.
func classCounts(_ dataset: Dataset) -> [Int] {
  var counts = [Int](repeating: 0, count: dataset.classNames?.count ?? 0)
  for row in 0..<dataset.count { counts[Int(dataset.targets[row, 0])] += 1 }
  return counts
}
