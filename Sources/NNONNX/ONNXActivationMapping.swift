import Foundation
import NNProtocols

/// How each nnpipe activation becomes ONNX operators (operator set 17).
///
/// Most map to one operator; the rest are composed from operators so the exported graph computes exactly
/// what nnpipe computes:
///
/// | nnpipe | ONNX |
/// | --- | --- |
/// | `identity`, `linear` | `Identity` (nothing after a dense layer) |
/// | `sigmoid`, `tanh`, `relu`, `softsign` | `Sigmoid`, `Tanh`, `Relu`, `Softsign` |
/// | `leaky_relu(slope)` | `LeakyRelu(alpha=slope)` |
/// | `elu(alpha)` | `Elu(alpha)` |
/// | `selu` | `Selu(alpha=1.6732632…, gamma=1.0507009…)` |
/// | `softplus(beta, threshold)` | `Softplus(x)`, or `Div(Softplus(Mul(x, β)), β)` for `β ≠ 1`, |
/// |  | inside `Where(Greater(βx, threshold), x, …)` for `threshold < 20` |
/// | `gelu` | `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)` (operator set 17 has no `Gelu`) |
/// | `gelu(approximate=tanh)` | `½·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))` from `Mul`, `Add`, `Tanh` |
/// | `silu`, `swish` | `Mul(x, Sigmoid(x))` |
/// | `mish` | `Mul(x, Tanh(Softplus(x)))` |
/// | `log_sigmoid` | `Neg(Softplus(Neg(x)))` |
/// | `hard_sigmoid` | `Clip(Add(Div(x, 6), 0.5), 0, 1)` |
/// | `hard_swish`, `hard_silu` | `HardSwish`: `x·max(0, min(1, x/6 + 1/2))` |
/// | `hard_tanh` | `Clip(x, −1, 1)` |
/// | `relu6` | `Clip(x, 0, 6)` |
/// | `sign` | `Where(Greater(x, 0), 1, Where(LessOrEqual(x, 0), −1, x))` |
/// | `step` | `Where(GreaterOrEqual(x, 0), 1, Where(Less(x, 0), 0, x))` |
///
/// `sign` and `step` are composed because ONNX's `Sign(0)` is 0 while nnpipe's `sign(0)` is −1 (the
/// tutorial's conjunction needs that tie) and `step(0)` is 1; the inner `Where` passes NaN through, as
/// nnpipe does.
///
/// Any other activation throws `cannot export activation 'X' to ONNX: no equivalent operator`.
public enum ONNXActivationMapping {
  /// The exportable activations, each with the numeric options it accepts and their defaults (those of
  /// nnpipe's built-ins: `leaky_relu` slope 0.01, `elu` alpha 1, `softplus` beta 1 and threshold 20).
  /// `gelu`'s `approximate` is 0 for the exact erf form (`none`), 1 for the tanh approximation (`tanh`):
  /// see `numericOptions(_:of:)`.
  public static let optionDefaults: [String: [String: Double]] = [
    "identity": [:], "linear": [:], "sigmoid": [:], "tanh": [:], "relu": [:], "softsign": [:],
    "leaky_relu": ["slope": 0.01], "elu": ["alpha": 1], "selu": [:],
    "softplus": ["beta": 1, "threshold": 20], "gelu": ["approximate": 0], "silu": [:],
    "swish": [:], "mish": [:], "log_sigmoid": [:], "hard_sigmoid": [:], "hard_swish": [:],
    "hard_silu": [:], "hard_tanh": [:], "relu6": [:], "sign": [:], "step": [:],
  ]

  /// An nnpipe activation's resolved options as the numbers `ONNXLayer` takes: reals and integers as
  /// they are, booleans as 0 or 1, and `gelu`'s `approximate` word as 0 (`none`) or 1 (`tanh`).
  ///
  /// ```swift
  /// let reference = try registry.makeActivation(…)  // or a model description's activation reference
  /// let options = try ONNXActivationMapping.numericOptions(reference.options, of: reference.name)
  /// ```
  ///
  /// - Throws: `InputError` for an option with no numeric form (a word other than those above, a list,
  ///   a component).
  public static func numericOptions(_ options: Options, of activation: String) throws -> [String:
    Double]
  {
    var numbers: [String: Double] = [:]
    for (key, value) in options.values {
      switch value {
      case .real(let number): numbers[key] = number
      case .integer(let number): numbers[key] = Double(number)
      case .boolean(let flag): numbers[key] = flag ? 1 : 0
      case .text("none") where activation == "gelu" && key == "approximate": numbers[key] = 0
      case .text("tanh") where activation == "gelu" && key == "approximate": numbers[key] = 1
      default:
        throw InputError(
          "cannot export activation '\(activation)' to ONNX: option '\(key)=\(value)' has no "
            + "numeric form")
      }
    }
    return numbers
  }

  /// The names of the exportable activations, sorted.
  public static var exportableNames: [String] { optionDefaults.keys.sorted() }

  /// SELU's `α` (Klambauer et al. 2017).
  public static let seluAlpha = 1.6732632423543772848170429916717
  /// SELU's `λ` (ONNX calls it `gamma`).
  public static let seluGamma = 1.0507009873554804934193349852946

  /// Below this `threshold`, `softplus` is exported with its linear branch (`Where`); at or above it the
  /// branch changes the result by at most `log(1 + e^−threshold)/β ≈ 2·10⁻⁹/β`, so plain `Softplus` is
  /// used.
  public static let softplusExactThreshold = 20.0

  /// The error for an activation with no ONNX equivalent.
  static func unsupported(_ name: String, layer: String) -> InputError {
    InputError(
      "cannot export activation '\(name)' to ONNX: no equivalent operator",
      hint:
        "in \(layer); activations with an ONNX equivalent: \(exportableNames.joined(separator: ", "))"
    )
  }

  /// Emits the nodes computing activation `name` of tensor `x` and returns the result tensor's name.
  ///
  /// - Parameters:
  ///   - prefix: the layer's path, e.g. `"layers.0"`; the result is named `"<prefix>.<name>"` and
  ///     intermediate tensors `"<prefix>.<name>.<step>"`.
  ///   - standalone: whether this is an activation layer (identity then becomes an `Identity` node) or a
  ///     dense layer's activation (identity emits nothing).
  static func emit(
    _ name: String, options given: [String: Double], input x: String, prefix: String,
    standalone: Bool, into g: inout ONNXGraphBuilder
  ) throws -> String {
    guard let defaults = optionDefaults[name] else { throw unsupported(name, layer: prefix) }
    for key in given.keys.sorted() {
      guard defaults[key] != nil else {
        let expected =
          defaults.isEmpty
          ? "it has none" : "expected one of: \(defaults.keys.sorted().joined(separator: ", "))"
        throw InputError(
          "cannot export activation '\(name)' to ONNX: unknown option '\(key)'; \(expected)",
          hint: "in \(prefix)")
      }
      guard given[key]!.isFinite else {
        throw InputError(
          "cannot export activation '\(name)' to ONNX: option '\(key)' is not finite",
          hint: "in \(prefix)")
      }
    }
    func option(_ key: String) -> Double { given[key] ?? defaults[key]! }
    let result = "\(prefix).\(name)"
    func step(_ label: String) -> String { "\(result).\(label)" }
    let nodeCount = g.nodes.count

    switch name {
    case "identity", "linear":
      guard standalone else { return x }
      g.add("Identity", [x], step("out"))
    case "sigmoid": g.add("Sigmoid", [x], step("out"))
    case "tanh": g.add("Tanh", [x], step("out"))
    case "relu": g.add("Relu", [x], step("out"))
    case "softsign": g.add("Softsign", [x], step("out"))
    case "leaky_relu":
      g.add("LeakyRelu", [x], step("out"), [ONNXAttribute("alpha", .float(Float(option("slope"))))])
    case "elu":
      g.add("Elu", [x], step("out"), [ONNXAttribute("alpha", .float(Float(option("alpha"))))])
    case "selu":
      g.add(
        "Selu", [x], step("out"),
        [
          ONNXAttribute("alpha", .float(Float(seluAlpha))),
          ONNXAttribute("gamma", .float(Float(seluGamma))),
        ])
    case "softplus":
      // softplus(x) = log(1 + e^(βx)) / β, and x itself where βx > threshold (PyTorch's definition).
      let beta = option("beta")
      let threshold = option("threshold")
      guard beta > 0 else {
        throw InputError(
          "cannot export activation 'softplus' to ONNX: option 'beta' must be positive, got \(beta)",
          hint: "in \(prefix)")
      }
      let scaled =
        beta == 1 ? x : g.add("Mul", [x, g.constant(step("beta"), beta)], step("scaled"))
      var smooth = g.add("Softplus", [scaled], step("smooth"))
      if beta != 1 {
        smooth = g.add("Div", [smooth, g.constant(step("beta"), beta)], step("divided"))
      }
      if threshold < softplusExactThreshold {
        let linear = g.add(
          "Greater", [scaled, g.constant(step("threshold"), threshold)], step("linear_region"))
        g.add("Where", [linear, x, smooth], step("out"))
      }
    case "gelu":
      switch option("approximate") {
      case 0:
        // gelu(x) = ½·x·(1 + erf(x/√2))
        let u = g.add("Div", [x, g.constant("constant.sqrt2", 2.0.squareRoot())], step("scaled"))
        let erf = g.add("Erf", [u], step("erf"))
        let onePlus = g.add("Add", [erf, g.constant("constant.one", 1)], step("one_plus"))
        let times = g.add("Mul", [x, onePlus], step("times_x"))
        g.add("Mul", [times, g.constant("constant.half", 0.5)], step("out"))
      case 1:
        // gelu(x) ≈ ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        let square = g.add("Mul", [x, x], step("square"))
        let cube = g.add("Mul", [square, x], step("cube"))
        let cubic = g.add(
          "Mul", [cube, g.constant("constant.gelu_cubic", 0.044715)], step("cubic_term"))
        let inner = g.add("Add", [x, cubic], step("inner"))
        let k = g.add(
          "Mul", [inner, g.constant("constant.sqrt_2_over_pi", (2 / Double.pi).squareRoot())],
          step("scaled"))
        let tanh = g.add("Tanh", [k], step("tanh"))
        let onePlus = g.add("Add", [tanh, g.constant("constant.one", 1)], step("one_plus"))
        let times = g.add("Mul", [x, onePlus], step("times_x"))
        g.add("Mul", [times, g.constant("constant.half", 0.5)], step("out"))
      default:
        throw InputError(
          "cannot export activation 'gelu' to ONNX: option 'approximate' must be 0 (erf) or 1 (tanh), "
            + "got \(option("approximate"))", hint: "in \(prefix)")
      }
    case "silu", "swish":
      // silu(x) = x·σ(x)
      let gate = g.add("Sigmoid", [x], step("sigmoid"))
      g.add("Mul", [x, gate], step("out"))
    case "log_sigmoid":
      // log σ(x) = −softplus(−x)
      let negated = g.add("Neg", [x], step("negated"))
      let smooth = g.add("Softplus", [negated], step("softplus"))
      g.add("Neg", [smooth], step("out"))
    case "hard_sigmoid":
      // clip(x/6 + 1/2, 0, 1), composed rather than HardSigmoid(alpha=1/6): a 32-bit alpha would be off
      // by 1e-8, which the cancellation near x = −3 magnifies.
      let scaled = g.add("Div", [x, g.constant("constant.six", 6)], step("scaled"))
      let shifted = g.add("Add", [scaled, g.constant("constant.half", 0.5)], step("shifted"))
      g.add(
        "Clip", [shifted, g.constant("constant.zero", 0), g.constant("constant.one", 1)],
        step("out"))
    case "hard_swish", "hard_silu": g.add("HardSwish", [x], step("out"))
    case "hard_tanh":
      g.add(
        "Clip", [x, g.constant("constant.minus_one", -1), g.constant("constant.one", 1)],
        step("out"))
    case "relu6":
      g.add(
        "Clip", [x, g.constant("constant.zero", 0), g.constant("constant.six", 6)], step("out"))
    case "mish":
      // mish(x) = x·tanh(softplus(x))
      let smooth = g.add("Softplus", [x], step("softplus"))
      let tanh = g.add("Tanh", [smooth], step("tanh"))
      g.add("Mul", [x, tanh], step("out"))
    case "sign":
      // sign: +1 for x > 0, −1 for x ≤ 0 (including ±0, the tie the tutorial's conjunction needs). NaN
      // stays NaN, as in nnpipe: both comparisons are false for NaN, so the inner Where passes x through.
      let positive = g.add("Greater", [x, g.constant("constant.zero", 0)], step("positive"))
      let nonPositive = g.add(
        "LessOrEqual", [x, g.constant("constant.zero", 0)], step("non_positive"))
      let lowOrNaN = g.add(
        "Where", [nonPositive, g.constant("constant.minus_one", -1), x], step("low_or_nan"))
      g.add("Where", [positive, g.constant("constant.one", 1), lowOrNaN], step("out"))
    case "step":
      // step: 1 for x ≥ 0 (including −0), 0 for x < 0; NaN stays NaN as for sign.
      let nonNegative = g.add(
        "GreaterOrEqual", [x, g.constant("constant.zero", 0)], step("non_negative"))
      let negative = g.add("Less", [x, g.constant("constant.zero", 0)], step("negative"))
      let lowOrNaN = g.add(
        "Where", [negative, g.constant("constant.zero", 0), x], step("low_or_nan"))
      g.add("Where", [nonNegative, g.constant("constant.one", 1), lowOrNaN], step("out"))
    default:
      throw unsupported(name, layer: prefix)
    }
    precondition(g.nodes.count > nodeCount, "activation '\(name)' emitted no node")
    g.renameLastOutput(to: result)
    return result
  }
}
