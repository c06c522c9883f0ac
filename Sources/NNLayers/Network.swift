import NNProtocols

/// A feed-forward network: an ordered stack of layers, evaluated first to last and back-propagated
/// last to first.
///
/// ```
/// forward:   A⁰ = X,  Aˡ = layerˡ(Aˡ⁻¹)                    (each layer keeps what backward needs)
/// backward:  dAᴸ = ∂L/∂Aᴸ (from the loss),  dAˡ⁻¹ = layerˡ.backward(dAˡ)   for l = L … 1
/// ```
/// The first layer is told not to compute `dA⁰ = ∂L/∂X`: nothing uses it, and it saves a product.
///
/// Parameters are named by path, `layers.<index>.<name>`, where `<index>` is the layer's position in
/// the stack (`layers.0.weight`, `layers.0.bias`, `layers.2.weight` when layer 1 is a dropout):
/// optimizer state and checkpoints use the same names.
///
/// - See Also: `Layer`, `LayerBuilder`, `Dense`.
public final class Network<S: NNScalar> {
  /// The layers, first to last.
  public let layers: [any Layer<S>]
  /// Features per input sample.
  public let inputSize: Int
  /// Features per output sample (the last layer's).
  public var outputSize: Int { layers.last?.outputSize ?? inputSize }
  /// Every trainable tensor with its path, layer by layer (`weight` before `bias`). Built once: reading
  /// it allocates nothing, and the matrices are the layers' own, updated in place.
  public let parameters: [(path: String, parameter: Parameter<S>)]

  /// A network of existing layers, whose sizes must chain (`layers[i].outputSize ==
  /// layers[i + 1].inputSize`).
  public init(layers: [any Layer<S>]) {
    precondition(!layers.isEmpty, "a network needs at least one layer")
    for (previous, next) in zip(layers, layers.dropFirst()) {
      precondition(
        previous.outputSize == next.inputSize,
        "layer sizes do not chain: \(previous.kind) gives \(previous.outputSize), \(next.kind) expects \(next.inputSize)"
      )
    }
    self.layers = layers
    inputSize = layers[0].inputSize
    parameters = layers.enumerated().flatMap { index, layer in
      layer.parameters.map { (path: "layers.\(index).\($0.name)", parameter: $0) }
    }
  }

  /// Builds one layer per builder, in order, each taking the previous layer's output size as its
  /// input size; parameters (and dropout generators) are drawn from `generator` in that order.
  ///
  /// - Parameters:
  ///   - builders: the layers' descriptions, first to last (at least one).
  ///   - inputSize: features per input sample (from the data).
  ///   - generator: the run's seeded generator.
  /// - Throws: `InputError` if there are no builders or a builder rejects its input size.
  public convenience init(
    builders: [any LayerBuilder], inputSize: Int, generator: inout SeededGenerator
  ) throws {
    guard !builders.isEmpty else { throw InputError("a network needs at least one layer") }
    var layers: [any Layer<S>] = []
    var size = inputSize
    for builder in builders {
      let layer = try builder.build(inputSize: size, as: S.self, using: &generator)
      layers.append(layer)
      size = layer.outputSize  // the next layer's input is this layer's output
    }
    self.init(layers: layers)
  }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.parameter.value.count } }

  /// Runs `x` (`[batch, inputSize]`) through every layer: `Aˡ = layerˡ(Aˡ⁻¹)`.
  ///
  /// The result is the last layer's workspace, valid until the next forward pass; use `predict` for
  /// an independent copy.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward(_ x: Matrix<S>, phase: Phase) -> Matrix<S> {
    precondition(
      x.cols == inputSize, "network: input has \(x.cols) features, expected \(inputSize)")
    var activation = x
    for layer in layers { activation = layer.forward(activation, phase: phase) }
    return activation
  }

  /// Back-propagates `dOutput = ∂L/∂Aᴸ` through the last forward pass, writing every parameter's
  /// gradient: `dAˡ⁻¹ = layerˡ.backward(dAˡ)`, from the last layer to the first.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func backward(_ dOutput: Matrix<S>) {
    var gradient = dOutput
    for index in layers.indices.reversed() {
      // The first layer's input is the data: its gradient is never needed.
      gradient = layers[index].backward(gradient, needsInputGradient: index > 0)
    }
  }

  /// The outputs for `x` in inference phase (dropout off), for any number of rows: evaluated in
  /// chunks of at most `chunkSize` rows, so workspaces stay bounded, and copied into a new matrix.
  ///
  /// - Parameters:
  ///   - x: `[samples, inputSize]`.
  ///   - chunkSize: rows per forward pass, ≥ 1; default 1024.
  public func predict(_ x: Matrix<S>, chunkSize: Int = 1024) -> Matrix<S> {
    precondition(chunkSize >= 1, "predict: chunkSize must be ≥ 1")
    precondition(
      x.cols == inputSize, "network: input has \(x.cols) features, expected \(inputSize)")
    let result = Matrix<S>(rows: x.rows, cols: outputSize)
    for start in stride(from: 0, to: x.rows, by: chunkSize) {
      let rows = start..<min(start + chunkSize, x.rows)
      result.rows(rows).assign(forward(x.rows(rows), phase: .inference))
    }
    return result
  }

  /// The L2 norm `‖dW‖ = √(Σ dW²)` of each weight gradient (parameters named `weight`), first layer
  /// first: the data for the vanishing-gradient plot (sigmoid stacks shrink it layer by layer,
  /// since σ' ≤ 0.25).
  ///
  /// - Parameter includeBiases: also report `bias` gradients; default `false`.
  public func gradientNorms(includeBiases: Bool = false) -> [(path: String, norm: Double)] {
    parameters.compactMap { entry in
      let name = entry.parameter.name
      guard name == "weight" || (includeBiases && name == "bias") else { return nil }
      return (path: entry.path, norm: Self.norm(entry.parameter.gradient))
    }
  }

  /// `√(Σ m²)`, accumulated in `Double`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func norm(_ m: Matrix<S>) -> Double {
    var sum = 0.0
    for value in m.buffer {
      let v = Double(value)
      sum += v * v
    }
    return sum.squareRoot()
  }

  /// An independent deep copy: every layer copied (parameters, dropout generators), fresh workspaces.
  public func copy() -> Network<S> {
    Network(layers: layers.map { $0.copy() })
  }
}
