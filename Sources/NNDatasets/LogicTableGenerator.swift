import NNProtocols

/// The truth tables of the two-input logic functions: the second tutorial's XNOR and its cousins.
///
/// Four samples, inputs in the order (0,0), (0,1), (1,0), (1,1). With `encoding = .bipolar`, false and
/// true are −1 and +1 instead of 0 and 1 (inputs and target alike), as for `sign`/`tanh` units.
/// With `constant = true` a third input column of 1s is added, as the second tutorial does in place of
/// biases (`[x1 x2 1]`). The target is a regression column holding the encoded truth value, so the
/// tutorial's sigmoid output and `½·Σ(o − y)²` loss apply; `classes = true` gives a two-class
/// classification instead (class indices 0 = false, 1 = true).
public struct LogicTableGenerator: DataGenerator {
  /// The logic function.
  public enum Operation: String, Sendable, CaseIterable {
    /// `x1 ∧ x2`
    case and
    /// `x1 ∨ x2`
    case or
    /// `x1 ⊕ x2`: true when the inputs differ.
    case xor
    /// `¬(x1 ⊕ x2)`: true when the inputs are equal.
    case xnor

    /// The function's value.
    public func apply(_ a: Bool, _ b: Bool) -> Bool {
      switch self {
      case .and: a && b
      case .or: a || b
      case .xor: a != b
      case .xnor: a == b
      }
    }
  }

  /// How false and true are written.
  public enum Encoding: String, Sendable, CaseIterable {
    /// 0 and 1.
    case binary
    /// −1 and +1.
    case bipolar

    /// The number standing for `value`.
    public func encode(_ value: Bool) -> Double {
      switch self {
      case .binary: value ? 1 : 0
      case .bipolar: value ? 1 : -1
      }
    }
  }

  /// The function tabulated.
  public var operation: Operation
  /// Default `.binary`.
  public var encoding: Encoding
  /// Add a constant-1 input column. Default `false`.
  public var constant: Bool
  /// Present the table as a two-class classification. Default `false` (a regression target).
  public var classes: Bool

  /// A generator with the given settings (defaults as documented on the properties).
  public init(
    _ operation: Operation, encoding: Encoding = .binary, constant: Bool = false,
    classes: Bool = false
  ) {
    self.operation = operation
    self.encoding = encoding
    self.constant = constant
    self.classes = classes
  }

  /// Four samples of 2 features (3 with `constant`) and one target (2 classes with `classes`).
  public func shape() -> GeneratedShape {
    GeneratedShape(samples: 4, inputs: constant ? 3 : 2, classes: classes ? 2 : nil)
  }

  /// The four samples.
  public func generate() -> Dataset {
    var features: [Double] = []
    var targets: [Double] = []
    for a in [false, true] {
      for b in [false, true] {
        features += [encoding.encode(a), encoding.encode(b)] + (constant ? [1] : [])
        let value = operation.apply(a, b)
        targets.append(classes ? (value ? 1 : 0) : encoding.encode(value))
      }
    }
    let inputs = constant ? 3 : 2
    return Dataset(
      name: operation.rawValue, features: Matrix(rows: 4, cols: inputs, scalars: features),
      targets: Matrix(rows: 4, cols: 1, scalars: targets),
      featureNames: ["x1", "x2"] + (constant ? ["constant"] : []), targetNames: ["y"],
      classNames: classes ? [false, true].map { formatReal(encoding.encode($0)) } : nil)
  }
}
