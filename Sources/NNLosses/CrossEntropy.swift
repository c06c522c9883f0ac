import NNProtocols

/// Softmax cross-entropy from logits, as PyTorch's `CrossEntropyLoss(weight, label_smoothing)`
/// (reduction `mean`): the softmax and the negative log-likelihood in one stable computation.
///
/// For row `i` of `[m, C]` logits, `log sᵢⱼ = zᵢⱼ − log Σₖ e^(zᵢₖ)`, computed with the row maximum
/// subtracted first (log-sum-exp), so no exponential overflows. The row's target distribution `qᵢ`
/// is one-hot for a class index (`[m, 1]` targets, 0-based) or the given row (`[m, C]` targets:
/// one-hot or soft labels); label smoothing `ε` mixes it with the uniform distribution,
/// `q′ᵢⱼ = (1 − ε)·qᵢⱼ + ε/C`. With class weights `w` (all 1 when none are given):
///
///     L = Σᵢ Σⱼ wⱼ·q′ᵢⱼ·(−log sᵢⱼ) / D
///     D = m without weights, D = Σᵢ rᵢ with rᵢ = Σⱼ wⱼ·qᵢⱼ (= w of row i's class) with weights
///
/// which is PyTorch's weighted mean `Σ wᵢ·lossᵢ / Σ wᵢ` for index targets, with or without smoothing;
/// one-hot targets give exactly the same value. (For *soft* labels with weights PyTorch divides by `m`
/// instead; here the same `Σ rᵢ` is used, so that one-hot and index targets always agree.)
///
/// Gradient: `∂L/∂zᵢⱼ = (cᵢ·sᵢⱼ − wⱼ·q′ᵢⱼ)/D` with `cᵢ = Σₖ wₖ·q′ᵢₖ`; without weights or smoothing and
/// with one-hot targets this is `(softmax − y)/m`. When every row of a batch has weight 0 (only
/// classes of weight 0 occur), the loss and the gradient are 0 rather than PyTorch's NaN.
/// NaN or +∞ in a row gives NaN for that row.
///
/// - Parameters:
///   - classWeights: one weight `≥ 0` per class, not all 0; empty (the default) for none.
///   - labelSmoothing: `ε` in [0, 1); default 0.
///
/// See Also: `NegativeLogLikelihood` (after a softmax layer), `BinaryCrossEntropyWithLogits`.
public struct CrossEntropy: Loss, BuiltinLoss, OnePassLoss, TargetValidating {
  static let registeredName = "cross_entropy"
  static let summary =
    "softmax cross-entropy from logits (PyTorch CrossEntropyLoss): L = -sum_i w[y_i]*log softmax(z_i)[y_i] / sum_i w[y_i]; "
    + "index or one-hot targets"
  static let optionSpecs = [
    OptionSpec(
      "weights", .realList, default: .realList([]),
      help: "one weight >= 0 per class (weighted mean as PyTorch); empty for none"),
    OptionSpec(
      "label_smoothing", .real(minimum: 0, maximum: 1), default: .real(0),
      help: "in [0, 1): mixes the target with the uniform distribution, (1 - e)*y + e/classes"),
  ]

  /// One weight per class, or empty for none.
  public let classWeights: [Double]
  /// The label smoothing `ε`.
  public let labelSmoothing: Double

  /// A cross-entropy with optional `classWeights` (each finite and `≥ 0`, not all 0; empty for none)
  /// and `labelSmoothing` in [0, 1).
  public init(classWeights: [Double] = [], labelSmoothing: Double = 0) {
    precondition(
      Self.weightsProblem(classWeights) == nil,
      "cross_entropy: \(Self.weightsProblem(classWeights) ?? "")")
    precondition(
      labelSmoothing >= 0 && labelSmoothing < 1, "cross_entropy: label_smoothing must be in [0, 1)")
    self.classWeights = classWeights
    self.labelSmoothing = labelSmoothing
  }

  init(options: Options) throws {
    let weights = options.realList("weights")
    if let problem = Self.weightsProblem(weights) {
      throw InputError("cross_entropy option 'weights': \(problem)")
    }
    let smoothing = options.real("label_smoothing")
    guard smoothing >= 0 && smoothing < 1 else {
      throw InputError(
        "cross_entropy option 'label_smoothing': expected a real number in [0, 1), got "
          + formatReal(smoothing))
    }
    self.init(classWeights: weights, labelSmoothing: smoothing)
  }

  /// What is wrong with a list of class weights, or `nil`.
  static func weightsProblem(_ weights: [Double]) -> String? {
    if let bad = weights.first(where: { !($0.isFinite && $0 >= 0) }) {
      return "expected every weight to be a finite number >= 0, got \(formatReal(bad))"
    }
    if !weights.isEmpty && weights.allSatisfy({ $0 == 0 }) {
      return "the weights are all 0, so no sample would count"
    }
    return nil
  }

  /// `"cross_entropy"`.
  public var name: String { Self.registeredName }
  /// `.logits`: raw scores; the loss applies the softmax itself.
  public var expectedOutput: LossInput { .logits }
  /// `.classIndices`: one class index per row (one-hot rows are accepted too).
  public var targetEncoding: TargetEncoding { .classIndices }

  /// Targets must be `[m, 1]` class indices in `0..<outputs` or `[m, outputs]` rows of probabilities
  /// summing to 1, with `outputs ≥ 2` and, if given, one class weight per output.
  public func targetProblem<S: NNScalar>(_ targets: Matrix<S>, outputs: Int) -> TargetProblem? {
    if !classWeights.isEmpty && classWeights.count != outputs {
      return TargetProblem(
        "\(name): \(classWeights.count) class weights are given but the network has "
          + "\(outputs) outputs")
    }
    return classTargetProblem(targets, outputs: outputs, loss: name)
  }

  /// The loss, and the gradient when one is given.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func evaluate<S: NNScalar>(
    _ logits: Matrix<S>, _ targets: Matrix<S>, gradient: Matrix<S>?
  ) -> Double {
    let layout = classTargets(
      predictions: logits, targets: targets, gradient: gradient, loss: name)
    let (rows, classes) = (logits.rows, logits.cols)
    precondition(
      classWeights.isEmpty || classWeights.count == classes,
      "\(name): \(classWeights.count) class weights for \(classes) classes")
    guard rows > 0 else { return 0 }
    let weighted = !classWeights.isEmpty
    let keep = 1 - labelSmoothing  // (1 − ε)
    let uniform = labelSmoothing / Double(classes)  // ε/C
    let plain = !weighted && labelSmoothing == 0 && layout == .indices

    // D: the number of rows, or the total weight of the rows' classes.
    var denominator = Double(rows)
    if weighted {
      denominator = 0
      for i in 0..<rows {
        switch layout {
        case .indices:
          denominator +=
            classWeights[classIndex(targets[i, 0], row: i, classes: classes, loss: name)]
        case .distributions:
          for j in 0..<classes { denominator += classWeights[j] * Double(targets[i, j]) }
        }
      }
      if denominator == 0 {
        gradient?.fill(0)
        return 0
      }
    }

    // With a gradient: every row's shifted logits zⱼ − max into it, then e^(…) of the whole batch in
    // one call of the vector kernel (one call per row of 10 classes cost more than the exponentials).
    if let g = gradient?.base {
      for i in 0..<rows {
        let z = logits.base + i * classes
        let maximum = rowMaximum(z, classes)
        for j in 0..<classes { g[i * classes + j] = z[j] - maximum }
      }
      S.exp(g, g, count: rows * classes)
    }

    var total = 0.0
    for i in 0..<rows {
      let z = logits.base + i * classes
      // qᵢⱼ, the unsmoothed target probability of class j: one-hot for an index target.
      let targetClass =
        layout == .indices ? classIndex(targets[i, 0], row: i, classes: classes, loss: name) : nil
      func target(_ j: Int) -> Double {
        if let targetClass { return j == targetClass ? 1 : 0 }
        return Double(targets[i, j])
      }
      // log Σⱼ e^(zⱼ) = max + log Σⱼ e^(zⱼ − max): every exponent is ≤ 0.
      let maximum = rowMaximum(z, classes)
      var sumOfExponentials: S = 0
      if let g = gradient?.base.advanced(by: i * classes) {
        for j in 0..<classes { sumOfExponentials += g[j] }  // e^(zⱼ − max), made above
      } else {
        for j in 0..<classes { sumOfExponentials += S.exp(z[j] - maximum) }
      }
      let logSum = Double(maximum) + Double(S.log(sumOfExponentials))

      // A class index without weights or smoothing (q′ one-hot, cᵢ = 1): the row's loss is
      // log Σ − z_t and ∂L/∂zⱼ = (sⱼ − [j = t])/D; the general sums below give the same bits, one
      // class at a time.
      if plain, let targetClass {
        total += logSum - Double(z[targetClass])
        if let g = gradient?.base.advanced(by: i * classes) {
          let inverseSum = 1 / Double(sumOfExponentials)
          for j in 0..<classes {
            let softmax = Double(g[j]) * inverseSum
            g[j] = S((softmax - (j == targetClass ? 1 : 0)) / denominator)
          }
        }
        continue
      }

      // Row loss Σⱼ wⱼ·q′ⱼ·(−log sⱼ), and cᵢ = Σⱼ wⱼ·q′ⱼ.
      var rowTotal = 0.0
      var rowWeight = 0.0
      for j in 0..<classes {
        let weightedTarget = (weighted ? classWeights[j] : 1) * (keep * target(j) + uniform)
        if weightedTarget != 0 {  // classes with no target mass add nothing, even if log sⱼ = −∞
          rowTotal += weightedTarget * (logSum - Double(z[j]))
          rowWeight += weightedTarget
        }
      }
      total += rowTotal

      // ∂L/∂zⱼ = (cᵢ·sⱼ − wⱼ·q′ⱼ)/D, with sⱼ = e^(zⱼ − max)/Σ.
      if let g = gradient?.base.advanced(by: i * classes) {
        let inverseSum = 1 / Double(sumOfExponentials)
        for j in 0..<classes {
          let softmax = Double(g[j]) * inverseSum
          let weightedTarget = (weighted ? classWeights[j] : 1) * (keep * target(j) + uniform)
          g[j] = S((rowWeight * softmax - weightedTarget) / denominator)
        }
      }
    }
    return total / denominator
  }

  /// The largest of a row's `classes` logits.
  @inline(__always)
  private func rowMaximum<S: NNScalar>(_ z: UnsafeMutablePointer<S>, _ classes: Int) -> S {
    var maximum = z[0]
    for j in 1..<classes where z[j] > maximum { maximum = z[j] }
    return maximum
  }
}
