import NNProtocols

/// A data set divided into the part a network trains on, the part that watches for over-fitting during
/// training, and the part held out for the final score.
public struct DatasetSplit {
  /// The samples the network learns from (and the scaler is fitted on).
  public var train: Dataset
  /// The samples monitored during training (early stopping); empty when the fraction is 0.
  public var validation: Dataset
  /// The samples held out for the final evaluation; empty when the fraction is 0.
  public var test: Dataset

  /// A split made of the three parts.
  public init(train: Dataset, validation: Dataset, test: Dataset) {
    self.train = train
    self.validation = validation
    self.test = test
  }
}

extension Preprocessing {
  /// Divides `dataset` into training, validation and test parts.
  ///
  /// Sizes: a part with fraction `f > 0` gets `max(1, round(f·n))` samples; the training part gets the
  /// rest and must not be empty.
  ///
  /// Stratified (classification with `stratify`): each part's quota is shared out among the classes in
  /// proportion to their sizes (rounded by largest remainder), keeping at least one sample of every
  /// class for training; the class proportions of every part then match the whole to within one sample
  /// per class. Otherwise the samples are taken in order: training first, then validation, then test.
  ///
  /// With `shuffle`, the samples (each class's, when stratified) are shuffled first and each part's
  /// order is random; without it, the last samples (of each class) are held out and every part keeps
  /// the file's order.
  ///
  /// - Parameters:
  ///   - validation: the fraction held out for validation, in [0, 1). Default 0.
  ///   - test: the fraction held out for testing, in [0, 1). Default 0.
  ///   - stratify: keep class proportions (ignored for regression). Default `true`.
  ///   - shuffle: shuffle before splitting. Default `true`.
  ///   - generator: the source of the shuffles.
  /// - Throws: `InputError` when a fraction is out of range, the training part would be empty, a part
  ///   with a positive fraction cannot get a sample, or a validation or test part holds a class the
  ///   training part lacks (see `checkClassesSeen`).
  public static func split(
    _ dataset: Dataset, validation: Double = 0, test: Double = 0, stratify: Bool = true,
    shuffle: Bool = true, generator: inout SeededGenerator
  ) throws -> DatasetSplit {
    for (name, fraction) in [("validation", validation), ("test", test)]
    where !(fraction >= 0 && fraction < 1) {
      throw InputError(
        file: dataset.name,
        "split: \(name)=\(formatReal(fraction)) is out of range; expected a fraction in [0, 1)")
    }
    let n = dataset.count
    func size(_ fraction: Double) -> Int {
      fraction > 0 ? max(1, Int((fraction * Double(n)).rounded())) : 0
    }
    let (validationSize, testSize) = (size(validation), size(test))
    guard validationSize + testSize < n else {
      throw InputError(
        file: dataset.name,
        "split validation=\(formatReal(validation)) test=\(formatReal(test)) of \(n)"
          + " sample\(n == 1 ? "" : "s") holds out \(validationSize + testSize) and leaves the"
          + " training part empty; expected at least one training sample",
        hint: "use smaller fractions or more data")
    }
    var parts: [[Int]]
    if stratify, let classNames = dataset.classNames {
      parts = stratifiedParts(
        dataset, classes: classNames.count, sizes: [validationSize, testSize], shuffle: shuffle,
        generator: &generator)
      for (k, name) in ["validation", "test"].enumerated()
      where parts[k + 1].isEmpty && [validationSize, testSize][k] > 0 {
        throw InputError(
          file: dataset.name,
          "split: the \(name) part gets no sample: stratified, every class keeps one sample for"
            + " training and these classes are too small to spare one",
          hint: "use stratify=false, or more data")
      }
    } else {
      let order = shuffle ? shuffledIndices(count: n, using: &generator) : Array(0..<n)
      let trainSize = n - validationSize - testSize
      parts = [
        Array(order[0..<trainSize]), Array(order[trainSize..<trainSize + validationSize]),
        Array(order[(trainSize + validationSize)...]),
      ]
    }
    let result = DatasetSplit(
      train: dataset.subset(parts[0]), validation: dataset.subset(parts[1]),
      test: dataset.subset(parts[2]))
    if dataset.isClassification {
      try checkClassesSeen(train: result.train, part: result.validation, partName: "validation")
      try checkClassesSeen(train: result.train, part: result.test, partName: "test")
    }
    return result
  }

  /// The training, validation and test indices of a stratified split (see `split`).
  private static func stratifiedParts(
    _ dataset: Dataset, classes: Int, sizes: [Int], shuffle: Bool,
    generator: inout SeededGenerator
  ) -> [[Int]] {
    var members = [[Int]](repeating: [], count: classes)
    for row in 0..<dataset.count {
      let label = Int(dataset.targets.base[row * dataset.targets.cols])
      precondition(
        members.indices.contains(label), "split: class index \(label) is not in 0..<\(classes)")
      members[label].append(row)
    }
    if shuffle {
      for c in 0..<classes { Preprocessing.shuffle(&members[c], using: &generator) }
    }
    let classSizes = members.map(\.count)
    // Every class keeps at least one sample for training.
    let testCounts = allocate(sizes[1], among: classSizes, caps: classSizes.map { max($0 - 1, 0) })
    let validationCounts = allocate(
      sizes[0], among: classSizes,
      caps: classSizes.indices.map { max(classSizes[$0] - 1 - testCounts[$0], 0) })
    var parts: [[Int]] = [[], [], []]
    for c in 0..<classes {
      // Training first, then validation, then test: the held-out samples are the class's last ones.
      let trainEnd = classSizes[c] - validationCounts[c] - testCounts[c]
      let validationEnd = trainEnd + validationCounts[c]
      parts[0] += members[c][0..<trainEnd]
      parts[1] += members[c][trainEnd..<validationEnd]
      parts[2] += members[c][validationEnd...]
    }
    for k in 0..<3 {
      if shuffle {
        Preprocessing.shuffle(&parts[k], using: &generator)
      } else {
        parts[k].sort()
      }
    }
    return parts
  }

  /// Shares `total` among groups in proportion to `sizes` by the largest-remainder method: each group
  /// first gets `⌊total·size/n⌋`, then the groups with the largest fractional parts one more each, never
  /// more than its cap.
  static func allocate(_ total: Int, among sizes: [Int], caps: [Int]) -> [Int] {
    let n = sizes.reduce(0, +)
    guard total > 0, n > 0 else { return sizes.map { _ in 0 } }
    let quotas = sizes.map { Double(total) * Double($0) / Double(n) }
    var counts = sizes.indices.map { min(caps[$0], Int(quotas[$0].rounded(.down))) }
    var remaining = total - counts.reduce(0, +)
    let order = sizes.indices.sorted {
      let (a, b) = (quotas[$0] - quotas[$0].rounded(.down), quotas[$1] - quotas[$1].rounded(.down))
      return a != b ? a > b : $0 < $1
    }
    while remaining > 0 {
      var gave = false
      for c in order where remaining > 0 && counts[c] < caps[c] {
        counts[c] += 1
        remaining -= 1
        gave = true
      }
      if !gave { break }
    }
    return counts
  }
}
