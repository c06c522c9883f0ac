import NNProtocols

/// He (Kaiming) normal: `W[i, j] ~ N(0, std²)` with `std = √(2 / fan_in)`.
///
/// ReLU zeroes half its inputs, so the weights need twice Glorot's variance (in `fan_in` mode) to keep
/// the activations' scale through deep ReLU stacks (He et al., 2015); this is the remedy for the
/// vanishing gradient the second tutorial shows. As PyTorch's `kaiming_normal_` (Keras truncates the
/// normal and rescales; the variance is the same). Registered as `he_normal` and `kaiming_normal`.
///
/// - See Also: `HeUniform`, `GlorotNormal`.
public struct HeNormal: Initializer {
  /// `"he_normal"`.
  public var name: String { "he_normal" }

  /// The initializer (no options).
  public init() {}

  /// `std = √(2 / fan_in)`, `W ~ N(0, std²)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    let std = (2 / Double(fanIn)).squareRoot()
    fillNormal(weights, mean: 0, std: std, using: &generator)
  }
}

/// He (Kaiming) uniform: `W[i, j] ~ U[−limit, limit)` with `limit = √(6 / fan_in)`.
///
/// The same variance as `HeNormal`, `2 / fan_in`, from a uniform distribution (Keras' `he_uniform`,
/// PyTorch's `kaiming_uniform_` with its ReLU gain). Registered as `he_uniform` and `kaiming_uniform`.
///
/// - See Also: `HeNormal`, `GlorotUniform`.
public struct HeUniform: Initializer {
  /// `"he_uniform"`.
  public var name: String { "he_uniform" }

  /// The initializer (no options).
  public init() {}

  /// `limit = √(6 / fan_in)`, `W ~ U[−limit, limit)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    let limit = (6 / Double(fanIn)).squareRoot()
    fillUniform(weights, low: -limit, high: limit, using: &generator)
  }
}
