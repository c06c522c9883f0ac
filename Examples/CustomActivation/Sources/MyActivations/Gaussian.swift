import NNProtocols

// snippet: gaussian
/// The Gaussian bump `g(z) = e^(−z²)`: 1 at z = 0, falling to 0 on both sides.
///
/// A unit with this activation responds to inputs near one value, like a radial basis function, so
/// one layer can carve out a bounded region. Its derivative reuses the forward output:
/// `g'(z) = −2z·e^(−z²) = −2z·g`.
///
/// Only the scalar forms are written: the whole-buffer `forward` and `backward` come from the
/// `Activation` protocol's default implementations, which call these once per element.
public struct Gaussian: Activation {
  /// The Gaussian activation (no options).
  public init() {}

  /// `"gaussian"`.
  public var name: String { "gaussian" }

  /// `g(z) = e^(−z²)`; 0 for |z| beyond about 27.3 (Double) or 10.2 (Float), where e^(−z²) underflows.
  public func value<S: NNScalar>(_ z: S) -> S {
    S.exp(-(z * z))
  }

  /// `g'(z) = −2z·g`. Where `g` has underflowed to 0 the product is 0, also at z = ±∞, where
  /// `−2z·g` would be `∞·0 = NaN`; NaN stays NaN.
  public func derivative<S: NNScalar>(_ z: S, output g: S) -> S {
    g == 0 ? 0 : -2 * z * g
  }
}
// end-snippet
