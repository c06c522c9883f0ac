import NNProtocols

/// The element type of an exported ONNX model's inputs, weights and outputs.
public enum ONNXPrecision: String, Sendable, CaseIterable {
  /// 32-bit floats (`TensorProto.FLOAT = 1`): what most ONNX consumers expect, and nnpipe's default.
  case float
  /// 64-bit doubles (`TensorProto.DOUBLE = 11`): exact for networks trained in `Double`.
  case double

  /// The ONNX element type.
  public var dataType: ONNXDataType {
    switch self {
    case .float: .float
    case .double: .double
    }
  }
}

/// One layer of a feed-forward network to export, as plain values (no dependency on how nnpipe stores
/// layers or checkpoints).
///
/// Layer `i`'s parameters are exported under nnpipe's parameter paths, `layers.i.weight` and
/// `layers.i.bias`, so an exported model's initializers match the checkpoint's tensors.
public enum ONNXLayer: Sendable, Equatable {
  /// A fully connected layer `A = g(X·Wᵀ + b)`.
  ///
  /// - Parameters:
  ///   - weight: `W` in row-major order, shaped `[outputs, inputs]` like `torch.nn.Linear.weight`.
  ///   - outputs: the number of units.
  ///   - inputs: the number of inputs (the previous layer's width).
  ///   - bias: `b`, `outputs` values, or `nil` for a layer without bias.
  ///   - activation: the registered name of `g` (default `"identity"`).
  ///   - activationOptions: `g`'s numeric options, e.g. `["slope": 0.1]` for `leaky_relu` (default none).
  case dense(
    weight: [Double], outputs: Int, inputs: Int, bias: [Double]?, activation: String = "identity",
    activationOptions: [String: Double] = [:])
  /// An elementwise activation layer `A = g(X)`, by its registered name and numeric options.
  case activation(name: String, options: [String: Double] = [:])
  /// Dropout, which is the identity at inference: nothing is exported for it.
  case dropout(rate: Double)
  /// Softmax over each row: `softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)`.
  case softmax
}

/// What the exported graph applies to the last layer's outputs, after every layer.
///
/// A model trained with a loss that takes logits (`Loss.expectedOutput == .logits`: cross-entropy,
/// binary cross-entropy with logits) ends in raw scores; the loss applies softmax or sigmoid itself.
/// Exporting with the matching transform gives a graph whose outputs are probabilities, like
/// `nnpipe predict`'s.
public enum ONNXOutputTransform: String, Sendable, CaseIterable {
  /// The last layer's outputs as they are.
  case none
  /// The logistic function per output: `σ(z) = 1 / (1 + exp(−z))` (ONNX `Sigmoid`).
  case sigmoid
  /// Softmax over each row (ONNX `Softmax`, `axis = -1`).
  case softmax

  /// The transform that turns the outputs of a network trained with `loss` into probabilities:
  /// for a loss over logits, softmax when it reads one class index per row (the outputs are one
  /// distribution over classes) and more than one output, else sigmoid (each output is its own
  /// probability); `.none` for a loss over probabilities or values, whose outputs are already what
  /// they are.
  ///
  /// Chosen from the loss's declared `expectedOutput` and `targetEncoding`, never from its name.
  public static func probabilities(for loss: any Loss, outputs: Int) -> ONNXOutputTransform {
    guard loss.expectedOutput == .logits else { return .none }
    return loss.targetEncoding == .classIndices && outputs > 1 ? .softmax : .sigmoid
  }
}

/// A feed-forward network to export to ONNX, described by plain values.
///
/// The exported graph computes, for a batch `X` of shape `[batch, inputSize]`:
/// `X' = (X − inputShift) / inputScale` (per feature, when given), then every layer in order, then the
/// `outputTransform`.
///
/// See Also: `ONNXExporter`.
public struct ONNXNetwork: Sendable, Equatable {
  /// The number of input features.
  public var inputSize: Int
  /// The graph input's name (default `"input"`).
  public var inputName: String
  /// The graph output's name (default `"output"`).
  public var outputName: String
  /// Per-feature values subtracted from the raw inputs (the training data's means), or `nil`.
  public var inputShift: [Double]?
  /// Per-feature values the shifted inputs are divided by (the training data's standard deviations), or
  /// `nil`.
  public var inputScale: [Double]?
  /// The layers, first to last.
  public var layers: [ONNXLayer]
  /// The element type of the model's tensors (default `.float`).
  public var precision: ONNXPrecision
  /// What the graph applies to the last layer's outputs (default `.none`).
  public var outputTransform: ONNXOutputTransform

  /// A network description.
  ///
  /// - Parameters:
  ///   - inputSize: the number of input features.
  ///   - layers: the layers, first to last.
  ///   - precision: the element type (default `.float`).
  ///   - inputName: the graph input's name (default `"input"`).
  ///   - outputName: the graph output's name (default `"output"`).
  ///   - inputShift: per-feature shift of the standardization `x' = (x − shift) / scale` (default `nil`).
  ///   - inputScale: per-feature scale of the standardization (default `nil`).
  ///   - outputTransform: what the graph applies to the last layer's outputs (default `.none`).
  public init(
    inputSize: Int, layers: [ONNXLayer], precision: ONNXPrecision = .float,
    inputName: String = "input", outputName: String = "output", inputShift: [Double]? = nil,
    inputScale: [Double]? = nil, outputTransform: ONNXOutputTransform = .none
  ) {
    self.outputTransform = outputTransform
    self.inputSize = inputSize
    self.layers = layers
    self.precision = precision
    self.inputName = inputName
    self.outputName = outputName
    self.inputShift = inputShift
    self.inputScale = inputScale
  }
}
