import NNProtocols

/// Reads an image classification data set stored as IDX files, such as MNIST and Fashion-MNIST: an
/// images file (`[n, rows, cols]`, or any shape: each first-dimension entry becomes one sample) and an
/// optional labels file (`[n]` whole numbers, the class of each image).
///
/// gzip-compressed files (as MNIST is distributed) are refused with a message saying how to decompress
/// them (`gunzip FILE`).
public struct IDXReader: Sendable {
  /// Divide byte images into [0, 1] (`ubyte` by 255) or [−1, 1) (`sbyte` by 128). Default `false`: the
  /// raw values (0–255 for MNIST), e.g. to scale with the `preprocess` step instead.
  public var normalize: Bool
  /// The number of classes; `nil` (the default) means the largest label + 1, which must be at most
  /// `maximumInferredClasses`. Classes are named by their index: `"0"`, `"1"`, ….
  public var classes: Int?

  /// The most classes `classes = nil` infers from a labels file (the largest label must be below it).
  public static let maximumInferredClasses = 65_536

  /// A reader with the given settings (defaults as documented on the properties).
  public init(normalize: Bool = false, classes: Int? = nil) {
    self.normalize = normalize
    self.classes = classes
  }

  /// Reads `images` and, when given, `labels`; relative paths start from `baseDirectory`.
  ///
  /// - Returns: one row of pixels per image; the targets are the labels as class indices (one column),
  ///   or no column without a labels file.
  /// - Throws: `InputError` for a file that cannot be read or is not IDX, a truncated file, labels that
  ///   are not whole numbers in range, or files whose counts differ.
  public func read(images: String, labels: String? = nil, baseDirectory: String = "") throws
    -> Dataset
  {
    let pixels = try IDXArray.read(
      path: DataFile.resolve(images, against: baseDirectory), displayName: images)
    let features = pixels.values
    if normalize {
      let divisor: Double
      switch pixels.elementType {
      case .ubyte: divisor = 255
      case .sbyte: divisor = 128
      default:
        throw InputError(
          file: images,
          "normalize=true divides byte images (ubyte by 255, sbyte by 128), but this file holds"
            + " \(pixels.elementType) elements",
          hint: "leave normalize=false and scale with the preprocess step (features=minmax)")
      }
      // Divided, not multiplied by 1/255: the same values as NumPy's `x / 255`.
      for i in 0..<features.count { features.base[i] /= divisor }
    }
    guard let labels else {
      return Dataset(
        name: fileName(images), features: features, targets: Matrix(rows: features.rows, cols: 0))
    }
    let labelArray = try IDXArray.read(
      path: DataFile.resolve(labels, against: baseDirectory), displayName: labels)
    guard labelArray.values.cols == 1 else {
      throw InputError(
        file: labels,
        "the labels have dimensions \(labelArray.dimensions); expected one label per image, [n]")
    }
    guard labelArray.values.rows == features.rows else {
      throw InputError(
        file: labels,
        "\(labelArray.values.rows) labels, but \(images) holds \(features.rows) images; expected"
          + " one label per image",
        hint: "check that the two files belong together (e.g. both training or both test files)")
    }
    let headerSize = 4 + 4 * labelArray.dimensions.count
    var largest = -1
    for i in 0..<labelArray.values.count {
      let label = labelArray.values.base[i]
      guard label >= 0, label == label.rounded(), label < Double(classes ?? Int(Int32.max)) else {
        let expected = classes.map { "a class index 0…\($0 - 1)" } ?? "a whole number ≥ 0"
        throw InputError(
          file: labels,
          "label \(i) (at byte offset \(headerSize + i * labelArray.elementType.size)) is"
            + " \(formatReal(label)); expected \(expected)")
      }
      // Without `classes`, the class count is read from the file: bound it before making that many
      // class names (a damaged labels file must not ask for billions).
      guard classes != nil || label < Double(Self.maximumInferredClasses) else {
        throw InputError(
          file: labels,
          "label \(i) (at byte offset \(headerSize + i * labelArray.elementType.size)) is"
            + " \(formatReal(label)); without classes=N, labels must be below"
            + " \(Self.maximumInferredClasses)",
          hint: "if the data set really has more classes, give their number: classes=N")
      }
      largest = max(largest, Int(label))
    }
    let classCount = classes ?? largest + 1
    return Dataset(
      name: fileName(images), features: features, targets: labelArray.values,
      targetNames: ["label"], classNames: (0..<classCount).map(String.init))
  }
}
