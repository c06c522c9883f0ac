import NNProtocols

/// Fills weights with zeros: `W[i, j] = 0`. The default for biases.
///
/// Never use it for the weights of hidden layers: every unit of a layer would compute the same thing
/// and receive the same gradient, so they would stay identical (the symmetry random initialization
/// breaks).
///
/// - See Also: `ConstantInitializer`.
public struct ZerosInitializer: Initializer {
  /// `"zeros"`.
  public var name: String { "zeros" }

  /// The initializer (no options).
  public init() {}

  /// `W = 0`; draws nothing from `generator`.
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    weights.fill(0)
  }
}

/// Fills weights with one value: `W[i, j] = value`.
///
/// - Parameters: `value` (default 0).
/// - See Also: `ZerosInitializer`.
public struct ConstantInitializer: Initializer {
  /// `"constant"`.
  public var name: String { "constant" }
  /// The value of every element.
  public var value: Double

  /// Every element `value`; default 0.
  public init(value: Double = 0) {
    self.value = value
  }

  /// `W = value`; draws nothing from `generator`.
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    weights.fill(S(value))
  }
}
