import NNProtocols

/// Fills weights with independent normal values: `W[i, j] ~ N(mean, std²)`.
///
/// The tutorials' `0.2·N(0, 1)` is `normal(std=0.2)`.
///
/// - Parameters: `mean` (default 0), `std` (≥ 0, default 1).
/// - See Also: `GlorotNormal`, `HeNormal` (which scale the spread by the layer's size).
public struct NormalInitializer: Initializer {
  /// `"normal"`.
  public var name: String { "normal" }
  /// The mean of the values.
  public var mean: Double
  /// The standard deviation of the values.
  public var std: Double

  /// `N(mean, std²)`; defaults `N(0, 1)`.
  public init(mean: Double = 0, std: Double = 1) {
    precondition(std >= 0, "normal: std must be ≥ 0")
    self.mean = mean
    self.std = std
  }

  /// `W[i, j] = mean + std·ξ`, `ξ ~ N(0, 1)` from `generator`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    fillNormal(weights, mean: mean, std: std, using: &generator)
  }
}

/// `W[i, j] = mean + std·ξ`, `ξ ~ N(0, 1)`: shared by the normal-family initializers.
@_specialize(where S == Float)
@_specialize(where S == Double)
func fillNormal<S: NNScalar>(
  _ weights: Matrix<S>, mean: Double, std: Double, using generator: inout SeededGenerator
) {
  let w = weights.base
  for i in 0..<weights.count { w[i] = S(mean + std * generator.normal()) }
}

/// `W[i, j] ~ U[low, high)`: shared by the uniform-family initializers.
@_specialize(where S == Float)
@_specialize(where S == Double)
func fillUniform<S: NNScalar>(
  _ weights: Matrix<S>, low: Double, high: Double, using generator: inout SeededGenerator
) {
  let w = weights.base
  for i in 0..<weights.count { w[i] = S(generator.uniform(low, high)) }
}
