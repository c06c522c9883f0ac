import NNProtocols

/// Preparing a data set for training: shuffling, splitting, one-hot encoding and the checks that go
/// with them. Scaling is `Scaler`.
///
/// Everything random draws from an injected `SeededGenerator`, so the same seed gives the same result.
public enum Preprocessing {
  /// A uniform whole number in `0..<bound`: the high word of `r · bound` for a random 64-bit `r`
  /// (Lemire's multiply-shift; its bias, below `bound/2⁶⁴`, is negligible).
  public static func randomIndex(below bound: Int, using generator: inout SeededGenerator) -> Int {
    precondition(bound > 0, "randomIndex: bound must be positive")
    return Int(generator.next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  /// Shuffles `indices` in place by Fisher–Yates: for `i` from the last position down to 1, swap
  /// element `i` with a uniformly chosen element `j ≤ i`. Every order is equally likely.
  public static func shuffle(_ indices: inout [Int], using generator: inout SeededGenerator) {
    var i = indices.count - 1
    while i > 0 {
      let j = randomIndex(below: i + 1, using: &generator)
      indices.swapAt(i, j)
      i -= 1
    }
  }

  /// `0..<count` in a random order.
  public static func shuffledIndices(count: Int, using generator: inout SeededGenerator) -> [Int] {
    var indices = Array(0..<count)
    shuffle(&indices, using: &generator)
    return indices
  }

  /// A copy of `dataset` with its samples in a random order (features and targets kept together).
  public static func shuffle(_ dataset: Dataset, using generator: inout SeededGenerator) -> Dataset
  {
    dataset.subset(shuffledIndices(count: dataset.count, using: &generator))
  }
}
