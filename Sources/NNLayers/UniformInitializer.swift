import NNProtocols

/// Fills weights with independent uniform values: `W[i, j] ~ U[low, high)`.
///
/// Defaults follow Keras' `RandomUniform`: `U[−0.05, 0.05)`.
///
/// - Parameters: `low` (default −0.05), `high` (> low, default 0.05).
/// - See Also: `GlorotUniform`, `HeUniform` (which scale the range by the layer's size).
public struct UniformInitializer: Initializer {
  /// `"uniform"`.
  public var name: String { "uniform" }
  /// The lower bound (included).
  public var low: Double
  /// The upper bound (excluded).
  public var high: Double

  /// `U[low, high)`; defaults `U[−0.05, 0.05)`.
  public init(low: Double = -0.05, high: Double = 0.05) {
    precondition(low < high, "uniform: low must be below high")
    self.low = low
    self.high = high
  }

  /// `W[i, j] = low + (high − low)·u`, `u ~ U[0, 1)` from `generator`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    fillUniform(weights, low: low, high: high, using: &generator)
  }
}
