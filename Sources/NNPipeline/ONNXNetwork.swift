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

/// A feed-forward network to export to ONNX, described by plain values.
///
/// The exported graph computes, for a batch `X` of shape `[batch, inputSize]`:
/// `X' = (X − inputShift) / inputScale` (per feature, when given), then every layer in order.
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
  public init(
    inputSize: Int, layers: [ONNXLayer], precision: ONNXPrecision = .float,
    inputName: String = "input", outputName: String = "output", inputShift: [Double]? = nil,
    inputScale: [Double]? = nil
  ) {
    self.inputSize = inputSize
    self.layers = layers
    self.precision = precision
    self.inputName = inputName
    self.outputName = outputName
    self.inputShift = inputShift
    self.inputScale = inputScale
  }
}
