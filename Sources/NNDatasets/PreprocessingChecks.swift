import NNProtocols

extension Preprocessing {
  /// Checks that every class present in `part` (a validation or test part) also appears in `train`: a
  /// network cannot learn a class it never sees.
  ///
  /// - Parameters:
  ///   - partName: how messages call the part, e.g. `"test"`.
  ///   - file: the data's file name for the message. Default: `part.name`.
  /// - Throws: `InputError` naming the first such class.
  public static func checkClassesSeen(
    train: Dataset, part: Dataset, partName: String, file: String? = nil
  ) throws {
    guard let classNames = part.classNames ?? train.classNames, part.count > 0 else { return }
    var seen = [Bool](repeating: false, count: classNames.count)
    for row in 0..<train.count {
      let index = Int(train.targets.base[row * train.targets.cols])
      if seen.indices.contains(index) { seen[index] = true }
    }
    var missing: [Int: Int] = [:]
    for row in 0..<part.count {
      let index = Int(part.targets.base[row * part.targets.cols])
      if !seen.indices.contains(index) || !seen[index] { missing[index, default: 0] += 1 }
    }
    guard let first = missing.keys.min() else { return }
    let name = classNames.indices.contains(first) ? classNames[first] : String(first)
    let samples = missing[first]!
    throw InputError(
      file: file ?? part.name,
      "class '\(name)' appears in the \(partName) part (\(samples) sample\(samples == 1 ? "" : "s"))"
        + " but never in the training part; expected every class to be seen in training",
      hint: "use stratify=true, a smaller \(partName) fraction, or more samples of that class")
  }

  /// Checks that the samples have the `expected` number of features (the network's input size).
  ///
  /// - Parameter file: the data's file name for the message. Default: `dataset.name`.
  /// - Throws: `InputError` when they differ.
  public static func checkInputSize(_ dataset: Dataset, expected: Int, file: String? = nil) throws {
    guard dataset.inputSize != expected else { return }
    throw InputError(
      file: file ?? dataset.name,
      "the data has \(dataset.inputSize) feature\(dataset.inputSize == 1 ? "" : "s") per sample,"
        + " but the network's input layer expects \(expected)",
      hint: "choose the feature columns with features=…, or change the first layer's input size")
  }
}
