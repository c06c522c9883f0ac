/// Labelled data, one sample per row, in double precision (the trainer converts to the run's
/// precision).
public struct Dataset {
  /// A short name for reports, e.g. `"sine"` or the file name.
  public var name: String
  /// `[samples, inputs]`.
  public var features: Matrix<Double>
  /// `[samples, outputs]` for regression; `[samples, 1]` class indices `0..<classNames.count` for
  /// classification.
  public var targets: Matrix<Double>
  /// One name per feature column.
  public var featureNames: [String]
  /// One name per target column.
  public var targetNames: [String]
  /// The class names, in index order, for a classification data set; `nil` for regression.
  public var classNames: [String]?

  public init(
    name: String, features: Matrix<Double>, targets: Matrix<Double>,
    featureNames: [String]? = nil, targetNames: [String]? = nil, classNames: [String]? = nil
  ) {
    precondition(features.rows == targets.rows, "Dataset: features and targets differ in rows")
    self.name = name
    self.features = features
    self.targets = targets
    self.featureNames = featureNames ?? (0..<features.cols).map { "x\($0 + 1)" }
    self.targetNames = targetNames ?? (0..<targets.cols).map { "y\($0 + 1)" }
    self.classNames = classNames
  }

  /// The number of samples.
  public var count: Int { features.rows }
  /// Features per sample.
  public var inputSize: Int { features.cols }
  /// Whether targets are class indices.
  public var isClassification: Bool { classNames != nil }
  /// The network outputs this data set needs: one per class (or one for two classes with a sigmoid
  /// output is also accepted by the pipeline), else one per target column.
  public var outputSize: Int { classNames?.count ?? targets.cols }

  /// The samples at `indices`, copied, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    func gather(_ m: Matrix<Double>) -> Matrix<Double> {
      let result = Matrix<Double>(rows: indices.count, cols: m.cols)
      for (r, index) in indices.enumerated() {
        (result.base + r * m.cols).update(from: m.base + index * m.cols, count: m.cols)
      }
      return result
    }
    return Dataset(
      name: name, features: gather(features), targets: gather(targets),
      featureNames: featureNames, targetNames: targetNames, classNames: classNames)
  }
}
