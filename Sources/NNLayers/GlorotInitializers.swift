import NNProtocols

/// Glorot (Xavier) uniform: `W[i, j] ~ U[−limit, limit)` with `limit = √(6 / (fan_in + fan_out))`.
///
/// Keeps the variance of activations and gradients about constant through layers of tanh or sigmoid
/// units (Glorot & Bengio, 2010): `Var(W) = 2 / (fan_in + fan_out)`. The default for `dense` weights, as
/// in Keras. Registered as `glorot_uniform` and `xavier_uniform`.
///
/// - See Also: `GlorotNormal`, `HeUniform`.
public struct GlorotUniform: FanScaledInitializer {
  /// `"glorot_uniform"`.
  public var name: String { "glorot_uniform" }
  /// `true`: `W ~ U[−limit, limit)`.
  public var isUniform: Bool { true }

  /// The initializer (no options).
  public init() {}

  /// `limit = √(6 / (fan_in + fan_out))`.
  public func spread(fanIn: Int, fanOut: Int) -> Double {
    (6 / Double(fanIn + fanOut)).squareRoot()
  }
}

/// Glorot (Xavier) normal: `W[i, j] ~ N(0, std²)` with `std = √(2 / (fan_in + fan_out))`.
///
/// The same variance as `GlorotUniform`, drawn from a normal distribution, as PyTorch's
/// `xavier_normal_` does (Keras draws from a normal truncated at 2 std and rescales; the variance is the
/// same). Registered as `glorot_normal` and `xavier_normal`.
///
/// - See Also: `GlorotUniform`, `HeNormal`.
public struct GlorotNormal: FanScaledInitializer {
  /// `"glorot_normal"`.
  public var name: String { "glorot_normal" }
  /// `false`: `W ~ N(0, std²)`.
  public var isUniform: Bool { false }

  /// The initializer (no options).
  public init() {}

  /// `std = √(2 / (fan_in + fan_out))`.
  public func spread(fanIn: Int, fanOut: Int) -> Double {
    (2 / Double(fanIn + fanOut)).squareRoot()
  }
}
