import NNProtocols

// snippet: scaled-tanh-declare
/// LeCun's scaled hyperbolic tangent `g(z) = a·tanh(b·z)`.
///
/// With the defaults `a = 1.7159` and `b = 2/3` (LeCun et al., "Efficient BackProp", 1998),
/// `g(±1) ≈ ±1` and the gain is largest where inputs normalised to unit variance fall. Its derivative
/// reuses the forward output: with `t = tanh(b·z) = a⁻¹·g(z)`,
/// `g'(z) = a·b·(1 − t²) = a·b·(1 − (g/a)²)`.
///
/// - Parameters:
///   - a: the amplitude, in (0, 100]; default 1.7159. The output lies in (−a, a).
///   - b: the slope of the input, in (0, 100]; default 2/3.
///
/// See Also: nnpipe's `Tanh`, whose derivative `1 − a²` is the case `a = b = 1`.
public struct ScaledTanh: Activation {
  /// The name a model file uses: `activation=scaled_tanh(a=1.7159, b=0.6667)`.
  public static let registeredName = "scaled_tanh"

  /// One line for `nnpipe list`.
  public static let summary = "LeCun's scaled tanh: g(z) = a*tanh(b*z), g' = a*b*(1 - (g/a)^2)"

  /// The options, declared once: `nnpipe` parses, validates and documents them from this list.
  public static let optionSpecs = [
    OptionSpec(
      "a", .real(minimum: 0, maximum: 100, minimumExclusive: true), default: .real(1.7159),
      help: "amplitude: the output lies in (-a, a)"),
    OptionSpec(
      "b", .real(minimum: 0, maximum: 100, minimumExclusive: true), default: .real(2.0 / 3.0),
      help: "slope: the input is scaled by b before the tanh"),
  ]

  /// The amplitude `a`.
  public let a: Double
  /// The input slope `b`.
  public let b: Double

  /// A scaled tanh `a·tanh(b·z)`; `a` and `b` must lie in (0, 100] (defaults 1.7159 and 2/3).
  public init(a: Double = 1.7159, b: Double = 2.0 / 3.0) {
    precondition(a > 0 && a <= 100, "scaled_tanh: a must lie in (0, 100], got \(a)")
    precondition(b > 0 && b <= 100, "scaled_tanh: b must lie in (0, 100], got \(b)")
    self.a = a
    self.b = b
  }

  /// Builds it from options the registry has already validated and completed with defaults.
  public init(options: Options) {
    self.init(a: options.real("a"), b: options.real("b"))
  }

  /// `"scaled_tanh"`.
  public var name: String { Self.registeredName }
  // end-snippet

  // snippet: scaled-tanh-scalar
  /// `g(z) = a·tanh(b·z)`.
  public func value<S: NNScalar>(_ z: S) -> S {
    S(a) * S.tanh(S(b) * z)
  }

  /// `g'(z) = a·b·(1 − t²)` with `t = g/a = tanh(b·z)`, from the forward output.
  public func derivative<S: NNScalar>(_ z: S, output g: S) -> S {
    let t = g / S(a)
    return S(a * b) * (1 - t * t)
  }
  // end-snippet

  // snippet: scaled-tanh-buffers
  /// `g[i] = a·tanh(b·z[i])` over a whole buffer, through nnpipe's vectorized tanh kernel.
  ///
  /// The protocol's default `forward` would call `value` once per element. Called through
  /// `any Activation` (as layers call it), a generic method is not specialized, so each element
  /// costs a dynamic dispatch: `@_specialize` compiles a Float and a Double copy of the loops.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ g: UnsafeMutablePointer<S>, count: Int
  ) {
    let (a, b) = (S(self.a), S(self.b))
    for i in 0..<count { g[i] = b * z[i] }  // b·z (`g` may be `z`: each element is read first)
    S.tanh(UnsafePointer(g), g, count: count)  // tanh(b·z), one call for the whole buffer
    for i in 0..<count { g[i] = a * g[i] }  // a·tanh(b·z)
  }

  /// `dZ[i] = dA[i]·a·b·(1 − (g[i]/a)²)`, from the forward output.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward<S: NNScalar>(
    _ z: UnsafePointer<S>, _ g: UnsafePointer<S>, _ dA: UnsafePointer<S>,
    _ dZ: UnsafeMutablePointer<S>, count: Int
  ) {
    let (ab, inverseA) = (S(a * b), S(1 / a))
    for i in 0..<count {
      let t = g[i] * inverseA
      dZ[i] = dA[i] * ab * (1 - t * t)
    }
  }
  // end-snippet
}
