import NNActivations
import NNProtocols

/// The `dense` line of a model file: a fully connected layer `A = g(X·Wᵀ + b)` of `units` outputs.
///
/// Its input size is inferred (from the data, or the previous layer). Building draws `W` from
/// `initializer` (with `fan_in` = inputs, `fan_out` = units) and then `b` from `biasInitializer`.
///
/// - See Also: `Dense`.
public struct DenseBuilder: LayerBuilder {
  /// `"dense"`.
  public var kind: String { "dense" }
  /// The number of outputs, ≥ 1.
  public var units: Int
  /// The fused activation `g`.
  public var activation: any Activation
  /// Whether the layer learns a bias `b`.
  public var useBias: Bool
  /// How `W` is filled.
  public var initializer: any Initializer
  /// How `b` is filled.
  public var biasInitializer: any Initializer

  /// A builder for `units` outputs.
  ///
  /// - Parameters:
  ///   - units: the number of outputs, ≥ 1.
  ///   - activation: the fused activation; default `nil`, the identity.
  ///   - useBias: whether to learn a bias; default `true`.
  ///   - initializer: for the weight; default `GlorotUniform`.
  ///   - biasInitializer: for the bias; default `ZerosInitializer`.
  public init(
    units: Int, activation: (any Activation)? = nil, useBias: Bool = true,
    initializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = ZerosInitializer()
  ) {
    precondition(units >= 1, "dense needs units ≥ 1")
    self.units = units
    self.activation = activation ?? Identity()
    self.useBias = useBias
    self.initializer = initializer
    self.biasInitializer = biasInitializer
  }

  /// `units`.
  public func outputSize(inputSize: Int) -> Int { units }
  /// `units·inputs` weights, plus `units` biases when `useBias`; `Int.max` if that overflows (a
  /// model file may ask for absurd sizes: they are refused later, with a message, not a trap).
  public func parameterCount(inputSize: Int) -> Int {
    let (weights, overflow) = units.multipliedReportingOverflow(by: inputSize)
    let (total, biasOverflow) = weights.addingReportingOverflow(useBias ? units : 0)
    return overflow || biasOverflow ? Int.max : total
  }
  /// The activation's name.
  public var detail: String { activation.name }
  /// The fused activation.
  public var outputActivation: (any Activation)? { activation }

  /// A `Dense` layer with `W` and `b` drawn from `generator`.
  public func build<S: NNScalar>(
    inputSize: Int, as scalar: S.Type, using generator: inout SeededGenerator
  ) throws -> any Layer<S> {
    guard inputSize >= 1 else {
      throw InputError("dense layer needs at least one input feature, got \(inputSize)")
    }
    let layer = Dense<S>(
      inputs: inputSize, outputs: units, activation: activation, bias: useBias)
    initializer.fill(layer.weight.value, fanIn: inputSize, fanOut: units, using: &generator)
    if let bias = layer.bias {
      biasInitializer.fill(bias.value, fanIn: inputSize, fanOut: units, using: &generator)
    }
    return layer
  }
}

/// The `activation` line of a model file: a standalone `A = g(Z)` with no parameters.
///
/// - See Also: `ActivationLayer`.
public struct ActivationLayerBuilder: LayerBuilder {
  /// `"activation"`.
  public var kind: String { "activation" }
  /// The function `g`.
  public var activation: any Activation

  /// A builder applying `activation`.
  public init(activation: any Activation) {
    self.activation = activation
  }

  /// The input size: an activation keeps the shape.
  public func outputSize(inputSize: Int) -> Int { inputSize }
  /// 0.
  public func parameterCount(inputSize: Int) -> Int { 0 }
  /// The activation's name.
  public var detail: String { activation.name }
  /// The activation.
  public var outputActivation: (any Activation)? { activation }

  /// An `ActivationLayer` over `inputSize` features (draws nothing from `generator`).
  public func build<S: NNScalar>(
    inputSize: Int, as scalar: S.Type, using generator: inout SeededGenerator
  ) throws -> any Layer<S> {
    guard inputSize >= 1 else {
      throw InputError("activation layer needs at least one input feature, got \(inputSize)")
    }
    return ActivationLayer<S>(size: inputSize, activation: activation)
  }
}

/// The `dropout` line of a model file: inverted dropout with drop probability `rate` while training.
///
/// - See Also: `Dropout`.
public struct DropoutBuilder: LayerBuilder {
  /// `"dropout"`.
  public var kind: String { "dropout" }
  /// The drop probability `p`, in [0, 1).
  public var rate: Double

  /// A builder for drop probability `rate` in [0, 1); default 0.5.
  public init(rate: Double = 0.5) {
    precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
    self.rate = rate
  }

  /// The input size: dropout keeps the shape.
  public func outputSize(inputSize: Int) -> Int { inputSize }
  /// 0.
  public func parameterCount(inputSize: Int) -> Int { 0 }
  /// `p=…`.
  public var detail: String { "p=\(formatReal(rate))" }

  /// A `Dropout` layer whose masks come from a generator split from `generator`.
  public func build<S: NNScalar>(
    inputSize: Int, as scalar: S.Type, using generator: inout SeededGenerator
  ) throws -> any Layer<S> {
    guard inputSize >= 1 else {
      throw InputError("dropout layer needs at least one input feature, got \(inputSize)")
    }
    return Dropout<S>(size: inputSize, rate: rate, generator: generator.split())
  }
}

/// The `softmax` line of a model file: row-wise `A_j = e^(Z_j) / Σ_k e^(Z_k)`.
///
/// Softmax is not an elementwise `Activation`, so `outputActivation` is `nil`; the pipeline reads
/// `outputForm` (`.distribution`) instead to check that the loss expects probabilities.
///
/// - See Also: `Softmax`.
public struct SoftmaxBuilder: LayerBuilder {
  /// `"softmax"`.
  public var kind: String { "softmax" }

  /// The builder (no options).
  public init() {}

  /// `.distribution`: every output row is a probability distribution (non-negative, summing to 1).
  public var outputForm: LayerOutputForm { .distribution }

  /// The input size: one probability per score.
  public func outputSize(inputSize: Int) -> Int { inputSize }
  /// 0.
  public func parameterCount(inputSize: Int) -> Int { 0 }

  /// A `Softmax` layer (draws nothing from `generator`).
  public func build<S: NNScalar>(
    inputSize: Int, as scalar: S.Type, using generator: inout SeededGenerator
  ) throws -> any Layer<S> {
    guard inputSize >= 1 else {
      throw InputError("softmax layer needs at least one input score, got \(inputSize)")
    }
    return Softmax<S>(size: inputSize)
  }
}
