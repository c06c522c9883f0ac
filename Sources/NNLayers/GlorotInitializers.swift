import NNProtocols

/// Glorot (Xavier) uniform: `W[i, j] ~ U[−limit, limit)` with `limit = √(6 / (fan_in + fan_out))`.
///
/// Keeps the variance of activations and gradients about constant through layers of tanh or sigmoid
/// units (Glorot & Bengio, 2010): `Var(W) = 2 / (fan_in + fan_out)`. The default for `dense` weights, as
/// in Keras. Registered as `glorot_uniform` and `xavier_uniform`.
///
/// - See Also: `GlorotNormal`, `HeUniform`.
public struct GlorotUniform: Initializer {
  /// `"glorot_uniform"`.
  public var name: String { "glorot_uniform" }

  /// The initializer (no options).
  public init() {}

  /// `limit = √(6 / (fan_in + fan_out))`, `W ~ U[−limit, limit)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    let limit = (6 / Double(fanIn + fanOut)).squareRoot()
    fillUniform(weights, low: -limit, high: limit, using: &generator)
  }
}

/// Glorot (Xavier) normal: `W[i, j] ~ N(0, std²)` with `std = √(2 / (fan_in + fan_out))`.
///
/// The same variance as `GlorotUniform`, drawn from a normal distribution, as PyTorch's
/// `xavier_normal_` does (Keras draws from a normal truncated at 2 std and rescales; the variance is the
/// same). Registered as `glorot_normal` and `xavier_normal`.
///
/// - See Also: `GlorotUniform`, `HeNormal`.
public struct GlorotNormal: Initializer {
  /// `"glorot_normal"`.
  public var name: String { "glorot_normal" }

  /// The initializer (no options).
  public init() {}

  /// `std = √(2 / (fan_in + fan_out))`, `W ~ N(0, std²)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    let std = (2 / Double(fanIn + fanOut)).squareRoot()
    fillNormal(weights, mean: 0, std: std, using: &generator)
  }
}
