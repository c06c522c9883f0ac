import NNProtocols

/// The Gaussian error linear unit `g(z) = z·Φ(z)`, where `Φ(z) = ½(1 + erf(z/√2))` is the standard
/// normal distribution function (Hendrycks & Gimpel, 2016); as PyTorch's `GELU(approximate=…)`.
///
/// - Exact (`approximate=none`, the default): `g'(z) = Φ(z) + z·φ(z)` with the normal density
///   `φ(z) = e^(−z²/2)/√(2π)`.
/// - `approximate=tanh`: `g(z) = ½·z·(1 + tanh(u))`, `u = √(2/π)·(z + 0.044715·z³)`, and
///   `g'(z) = ½(1 + tanh u) + ½·z·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·z²)`.
///
/// Saturates without NaN: `g(+∞) = +∞`, `g(−∞) = 0`, `g'(±∞)` = 1 and 0; NaN gives NaN. The derivative
/// needs `Φ(z)`, which the output `z·Φ(z)` gives only unstably near 0, so it is recomputed from `z`.
/// The tanh form's buffer paths use the `NNScalar.tanh` kernel; the exact form calls `erf` per
/// element (no `erf` kernel exists), which is markedly slower.
///
/// See Also: `SiLU` (`z·σ(z)`, a close relative), `ReLU`.
public struct GELU: Activation, BuiltinActivation {
  static let registeredName = "gelu"
  static let summary =
    "Gaussian error linear unit: g(z) = z * Phi(z) = z/2 * (1 + erf(z/sqrt(2))), or its tanh approximation"
  static let optionSpecs = [
    OptionSpec(
      "approximate", .text(choices: Approximation.allCases.map(\.rawValue)),
      default: .text(Approximation.exact.rawValue),
      help:
        "'none' for the exact erf form, 'tanh' for 0.5*z*(1 + tanh(sqrt(2/pi)*(z + 0.044715*z^3)))"
    )
  ]

  /// Which form of GELU to compute (PyTorch's `approximate` argument).
  public enum Approximation: String, Sendable, CaseIterable {
    /// The exact form with `erf` (written `none`, as in PyTorch).
    case exact = "none"
    /// The tanh approximation.
    case tanh
  }

  /// The form computed.
  public let approximation: Approximation

  /// A GELU; exact unless `approximate` is `.tanh`.
  public init(approximate: Approximation = .exact) {
    approximation = approximate
  }
  init(options: Options) throws {
    let word = options.text("approximate")
    guard let approximation = Approximation(rawValue: word) else {
      throw InputError("gelu option 'approximate': expected 'none' or 'tanh', got '\(word)'")
    }
    self.init(approximate: approximation)
  }

  /// `"gelu"`.
  public var name: String { Self.registeredName }
  /// `−0.1701...∞`: the minimum is about −0.16997 (at z ≈ −0.7518) for the exact form and −0.17004
  /// (at z ≈ −0.7525) for the tanh form; both lie just inside the bound.
  public var outputRange: ClosedRange<Double> { -0.1701...Double.infinity }

  /// `1/√2`.
  private static let inverseSquareRootOfTwo = 0.7071067811865476
  /// `1/√(2π)`.
  private static let inverseSquareRootOfTwoPi = 0.3989422804014327
  /// `√(2/π)`.
  private static let squareRootOfTwoOverPi = 0.7978845608028654
  /// The cubic coefficient of the tanh approximation.
  private static let cubic = 0.044715

  /// The argument of tanh in the approximation, `u = √(2/π)·(x + 0.044715·x³)`.
  static func tanhArgument<S: NNScalar>(_ x: S) -> S {
    S(squareRootOfTwoOverPi) * (x + S(cubic) * x * x * x)
  }

  /// The tanh approximation's derivative `½(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)`,
  /// given `t = tanh(u)` and a finite `x`.
  static func tanhDerivative<S: NNScalar>(_ x: S, t: S) -> S {
    let sech2 = 1 - t * t
    // Where tanh has saturated, sech² is exactly 0 and x² may be +∞: the term is 0.
    let slope =
      sech2 == 0 ? 0 : S(0.5) * x * sech2 * S(squareRootOfTwoOverPi) * (1 + S(3 * cubic) * x * x)
    return S(0.5) * (1 + t) + slope
  }

  /// `z·Φ(z)` (or its tanh approximation).
  public func value<S: NNScalar>(_ z: S) -> S {
    let x = clampedBelow(z)  // at −∞, −∞·0 would be NaN; the limit is 0
    switch approximation {
    case .exact:
      return x * (S(0.5) * (1 + S.erf(x * S(Self.inverseSquareRootOfTwo))))
    case .tanh:
      return S(0.5) * x * (1 + S.tanh(Self.tanhArgument(x)))
    }
  }

  /// `Φ(z) + z·φ(z)` (or the tanh approximation's derivative), from `z`.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S {
    let x = clampedToFinite(z)  // the limits at ±∞ without ∞·0
    switch approximation {
    case .exact:
      let cdf = S(0.5) * (1 + S.erf(x * S(Self.inverseSquareRootOfTwo)))
      let density = S(Self.inverseSquareRootOfTwoPi) * S.exp(-S(0.5) * x * x)
      return cdf + x * density
    case .tanh:
      return Self.tanhDerivative(x, t: S.tanh(Self.tanhArgument(x)))
    }
  }

  /// `a[i] = gelu(z[i])`; the tanh form takes tanh from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(_ z: UnsafePointer<S>, _ a: UnsafeMutablePointer<S>, count: Int)
  {
    guard approximation == .tanh else {
      for i in 0..<count { a[i] = value(z[i]) }
      return
    }
    forEachChunk(of: count, as: S.self) { offset, length, t in
      let (z, a) = (z + offset, a + offset)
      for i in 0..<length { t[i] = Self.tanhArgument(clampedBelow(z[i])) }
      S.tanh(t, t, count: length)
      for i in 0..<length { a[i] = S(0.5) * clampedBelow(z[i]) * (1 + t[i]) }
    }
  }

  /// `dZ[i] = dA[i]·gelu'(z[i])`; the tanh form takes tanh from the whole-buffer kernel.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ a: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    guard approximation == .tanh else {
      for i in 0..<count { dZ[i] = dA[i] * derivative(z[i], output: a[i]) }
      return
    }
    forEachChunk(of: count, as: S.self) { offset, length, t in
      let (z, dA, dZ) = (z + offset, dA + offset, dZ + offset)
      for i in 0..<length { t[i] = Self.tanhArgument(clampedToFinite(z[i])) }
      S.tanh(t, t, count: length)
      for i in 0..<length { dZ[i] = dA[i] * Self.tanhDerivative(clampedToFinite(z[i]), t: t[i]) }
    }
  }
}
