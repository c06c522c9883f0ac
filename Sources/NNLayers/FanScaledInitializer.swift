import NNProtocols

/// An initializer whose spread follows the layer's size: every weight is drawn from one
/// distribution, uniform `U[−spread, spread)` or normal `N(0, spread²)`, with `spread` computed
/// from `fan_in` (and `fan_out`).
///
/// The Glorot and He families differ only in that formula and the distribution; conforming types
/// state those two things and share `fill`.
///
/// - See Also: `GlorotUniform`, `GlorotNormal`, `HeUniform`, `HeNormal`.
public protocol FanScaledInitializer: Initializer {
  /// Whether the weights are uniform in `[−spread, spread)` (`true`) or normal with standard
  /// deviation `spread` (`false`).
  var isUniform: Bool { get }

  /// The uniform limit or the normal standard deviation for a layer of these fans.
  func spread(fanIn: Int, fanOut: Int) -> Double
}

extension FanScaledInitializer {
  /// `W ~ U[−spread, spread)` or `W ~ N(0, spread²)`, as `isUniform` says.
  ///
  /// Runs once per layer; the loops it calls, `fillUniform` and `fillNormal`, are specialized.
  public func fill<S: NNScalar>(
    _ weights: Matrix<S>, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
  ) {
    let spread = spread(fanIn: fanIn, fanOut: fanOut)
    if isUniform {
      fillUniform(weights, low: -spread, high: spread, using: &generator)
    } else {
      fillNormal(weights, mean: 0, std: spread, using: &generator)
    }
  }
}
