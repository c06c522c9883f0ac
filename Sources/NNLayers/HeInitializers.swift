import NNProtocols

/// He (Kaiming) normal: `W[i, j] ~ N(0, std²)` with `std = √(2 / fan_in)`.
///
/// ReLU zeroes half its inputs, so the weights need twice Glorot's variance (in `fan_in` mode) to keep
/// the activations' scale through deep ReLU stacks (He et al., 2015); this is the remedy for the
/// vanishing gradient the second tutorial shows. As PyTorch's `kaiming_normal_` (Keras truncates the
/// normal and rescales; the variance is the same). Registered as `he_normal` and `kaiming_normal`.
///
/// - See Also: `HeUniform`, `GlorotNormal`.
public struct HeNormal: FanScaledInitializer {
  /// `"he_normal"`.
  public var name: String { "he_normal" }
  /// `false`: `W ~ N(0, std²)`.
  public var isUniform: Bool { false }

  /// The initializer (no options).
  public init() {}

  /// `std = √(2 / fan_in)`.
  public func spread(fanIn: Int, fanOut: Int) -> Double { (2 / Double(fanIn)).squareRoot() }
}

/// He (Kaiming) uniform: `W[i, j] ~ U[−limit, limit)` with `limit = √(6 / fan_in)`.
///
/// The same variance as `HeNormal`, `2 / fan_in`, from a uniform distribution (Keras' `he_uniform`,
/// PyTorch's `kaiming_uniform_` with its ReLU gain). Registered as `he_uniform` and `kaiming_uniform`.
///
/// - See Also: `HeNormal`, `GlorotUniform`.
public struct HeUniform: FanScaledInitializer {
  /// `"he_uniform"`.
  public var name: String { "he_uniform" }
  /// `true`: `W ~ U[−limit, limit)`.
  public var isUniform: Bool { true }

  /// The initializer (no options).
  public init() {}

  /// `limit = √(6 / fan_in)`.
  public func spread(fanIn: Int, fanOut: Int) -> Double { (6 / Double(fanIn)).squareRoot() }
}
