import Foundation
import NNProtocols

/// Scales each column of a matrix: `x' = (x − offset) / scale`, with statistics fitted on the training
/// data only and saved with the model, so `predict` applies the same transform to new data.
///
/// - `standardize` (z-score): `offset` = the column's mean `μ = Σx/n`, `scale` = its standard
///   deviation `σ = √(Σ(x − μ)²/n)` (the population form, as scikit-learn's `StandardScaler`); the
///   scaled training column has mean 0 and standard deviation 1.
/// - `minmax`: `offset` = the column's minimum, `scale` = `max − min`; the scaled training column spans
///   [0, 1] (new data may fall outside).
/// - `none`: `offset` 0, `scale` 1.
///
/// A constant column (every value equal) has no spread to divide by: its `scale` is 1, so it is only
/// shifted (to 0), never divided by zero.
///
/// See Also: `Preprocessing.split`, whose training part is what `fit` should see.
public struct Scaler: Sendable, Equatable, Codable {
  /// How a column is scaled.
  public enum Kind: String, Sendable, CaseIterable, Codable {
    /// Unchanged.
    case none
    /// `(x − mean) / std`.
    case standardize
    /// `(x − min) / (max − min)`.
    case minmax
  }

  /// The kind of scaling.
  public var kind: Kind
  /// Subtracted from each column: its mean, its minimum, or 0.
  public var offset: [Double]
  /// Each column is then divided by this: its standard deviation, its range, or 1 (never 0).
  public var scale: [Double]

  /// A scaler with given statistics (e.g. restored from a checkpoint).
  ///
  /// - Precondition: `offset` and `scale` have the same length; every scale is finite and non-zero.
  public init(kind: Kind, offset: [Double], scale: [Double]) {
    precondition(offset.count == scale.count, "Scaler: offset and scale differ in length")
    precondition(
      scale.allSatisfy { $0.isFinite && $0 != 0 }, "Scaler: a scale is zero or not finite")
    self.kind = kind
    self.offset = offset
    self.scale = scale
  }

  /// Whether the transform changes nothing (every offset 0 and every scale 1). A scaler of kind
  /// `none` may still carry a fixed division (`preprocess divide=16`) as its scale.
  public var isIdentity: Bool {
    offset.allSatisfy { $0 == 0 } && scale.allSatisfy { $0 == 1 }
  }

  /// The number of columns this scaler transforms.
  public var columns: Int { offset.count }

  /// Fits `kind`'s statistics to the columns of `data` (the training part only).
  ///
  /// - Precondition: `data` has at least one row.
  public static func fit(_ kind: Kind, to data: Matrix<Double>) -> Scaler {
    precondition(data.rows >= 1, "Scaler.fit needs at least one row")
    let n = data.rows
    let columns = data.cols
    var offset = [Double](repeating: 0, count: columns)
    var scale = [Double](repeating: 1, count: columns)
    guard kind != .none else { return Scaler(kind: kind, offset: offset, scale: scale) }
    var minimum = [Double](repeating: .infinity, count: columns)
    var maximum = [Double](repeating: -.infinity, count: columns)
    var sum = [Double](repeating: 0, count: columns)
    for row in 0..<n {
      let values = data.base + row * columns
      for c in 0..<columns {
        minimum[c] = min(minimum[c], values[c])
        maximum[c] = max(maximum[c], values[c])
        sum[c] += values[c]
      }
    }
    switch kind {
    case .none:
      break
    case .minmax:
      for c in 0..<columns {
        offset[c] = minimum[c]
        if maximum[c] > minimum[c] { scale[c] = maximum[c] - minimum[c] }
      }
    case .standardize:
      // Two passes: the mean first, then the squared deviations from it (accurate for large means).
      let mean = sum.map { $0 / Double(n) }
      var squares = [Double](repeating: 0, count: columns)
      for row in 0..<n {
        let values = data.base + row * columns
        for c in 0..<columns {
          let deviation = values[c] - mean[c]
          squares[c] += deviation * deviation
        }
      }
      for c in 0..<columns {
        offset[c] = mean[c]
        let deviation = (squares[c] / Double(n)).squareRoot()
        if maximum[c] > minimum[c], deviation > 0 { scale[c] = deviation }
      }
    }
    return Scaler(kind: kind, offset: offset, scale: scale)
  }

  /// `(x − offset) / scale` for every column, in place.
  public func apply(to data: Matrix<Double>) {
    precondition(
      data.cols == columns, "Scaler: fitted on \(columns) columns, given \(data.cols)")
    guard !isIdentity else { return }
    for row in 0..<data.rows {
      let values = data.base + row * columns
      for c in 0..<columns { values[c] = (values[c] - offset[c]) / scale[c] }
    }
  }

  /// `x · scale + offset` for every column, in place: undoes `apply`.
  public func unapply(to data: Matrix<Double>) {
    precondition(
      data.cols == columns, "Scaler: fitted on \(columns) columns, given \(data.cols)")
    guard !isIdentity else { return }
    for row in 0..<data.rows {
      let values = data.base + row * columns
      for c in 0..<columns { values[c] = values[c] * scale[c] + offset[c] }
    }
  }

  /// The scaled copy of `data`: `(x − offset) / scale`.
  public func transform(_ data: Matrix<Double>) -> Matrix<Double> {
    let result = data.copy()
    apply(to: result)
    return result
  }

  /// The unscaled copy of `data`, `x · scale + offset`: turns scaled regression predictions back into
  /// the targets' units.
  public func inverseTransform(_ data: Matrix<Double>) -> Matrix<Double> {
    let result = data.copy()
    unapply(to: result)
    return result
  }

  // MARK: Saving and restoring

  /// The statistics as named arrays, `["offset": …, "scale": …]` (e.g. tensors of a checkpoint);
  /// `kind` is stored beside them.
  public var arrays: [String: [Double]] { ["offset": offset, "scale": scale] }

  /// A scaler restored from `arrays` (as `arrays` gives them); `source` names where they came from in
  /// errors.
  ///
  /// - Throws: `InputError` for a missing array, arrays of different lengths, or a scale that is zero
  ///   or not finite.
  public init(kind: Kind, arrays: [String: [Double]], source: String) throws {
    guard let offset = arrays["offset"], let scale = arrays["scale"] else {
      throw InputError(
        file: source,
        "scaler statistics need arrays 'offset' and 'scale', found: "
          + arrays.keys.sorted().joined(separator: ", "))
    }
    try self.init(checking: kind, offset: offset, scale: scale, source: source)
  }

  /// A scaler restored from the JSON text `jsonText` gives.
  ///
  /// - Throws: `InputError` naming `source` when the text is not a valid scaler.
  public init(jsonText: String, source: String) throws {
    let decoded: Scaler
    do {
      decoded = try JSONDecoder().decode(Scaler.self, from: Data(jsonText.utf8))
    } catch var error as InputError {
      error.file = source
      throw error
    } catch {
      throw InputError(
        file: source,
        "invalid scaler statistics: expected JSON {\"kind\": \"none|standardize|minmax\","
          + " \"offset\": [numbers], \"scale\": [numbers]}")
    }
    self = decoded
  }

  /// The scaler as one line of JSON: `{"kind":"standardize","offset":[…],"scale":[…]}`.
  public var jsonText: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try! encoder.encode(self), as: UTF8.self)
  }

  private enum CodingKeys: String, CodingKey {
    case kind, offset, scale
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      checking: container.decode(Kind.self, forKey: .kind),
      offset: container.decode([Double].self, forKey: .offset),
      scale: container.decode([Double].self, forKey: .scale), source: nil)
  }

  private init(checking kind: Kind, offset: [Double], scale: [Double], source: String?) throws {
    guard offset.count == scale.count else {
      throw InputError(
        file: source,
        "scaler statistics: 'offset' has \(offset.count) values but 'scale' has \(scale.count);"
          + " expected one of each per column")
    }
    guard offset.allSatisfy(\.isFinite), scale.allSatisfy({ $0.isFinite && $0 != 0 }) else {
      throw InputError(
        file: source,
        "scaler statistics: expected finite offsets and finite, non-zero scales")
    }
    self.init(kind: kind, offset: offset, scale: scale)
  }
}
