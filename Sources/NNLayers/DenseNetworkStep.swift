import NNKernels
import NNProtocols

/// A whole training step of a small dense network (forward, loss, backward) in one kernel call:
/// the path the trainer takes for the tutorials' networks, where a dozen short layer-by-layer calls
/// per step would cost more than the arithmetic.
///
/// ```
/// forward   Zˡ = Aˡ⁻¹·Wˡᵀ + bˡ,  Aˡ = g(Zˡ)                 l = 1 … L,  A⁰ = X
/// loss      L = c·Σ (Aᴸ − Y)²,  dAᴸ = 2c·(Aᴸ − Y)           (c from `Loss.squaredErrorScale`)
/// backward  dZˡ = dAˡ ∘ g'(Zˡ),  dWˡ = dZˡᵀ·Aˡ⁻¹,  dbˡ = Σ_rows dZˡ,  dAˡ⁻¹ = dZˡ·Wˡ
/// ```
/// These are the same equations `Dense.forward`, the loss and `Dense.backward` compute; the kernel
/// walks the batch a few vectors of samples at a time and runs every layer on them while they sit in
/// the L1 cache. It writes every parameter's gradient, as `Network.backward` does, so the optimizer
/// runs unchanged. The results equal the layer-by-layer step's up to rounding (sums are taken in
/// another order), and are the same bits run after run.
///
/// A network qualifies when every layer is a `Dense` whose activation has a fused kernel (identity,
/// sigmoid, tanh, ReLU), the loss is a scaled sum of squared errors (`half_mse`, `half_sse`, `mse`),
/// and the sizes are within the kernel's limits (`Kernels.networkStepMaxLayers`, `…MaxWidth`,
/// `…MaxWeights`); `init` returns `nil` otherwise. The layers' own saved `Z` and `A` are not updated
/// by a fused step: it replaces a training step's forward and backward, not `Network.forward`.
public final class DenseNetworkStep<S: NNScalar> {
  /// The dense layers, first to last (kept so the pointers below stay valid).
  public let layers: [Dense<S>]
  private let layerCount: Int
  private let loss: any Loss
  private let outputs: Int
  // What the kernel reads, laid out once: sizes (input first), activation kinds, and per layer the
  // weight, bias and gradient pointers (the layers' matrices never move).
  private let sizes: UnsafeMutablePointer<Int>
  private let kinds: UnsafeMutablePointer<Int32>
  private let weights: UnsafeMutablePointer<UnsafePointer<S>?>
  private let biases: UnsafeMutablePointer<UnsafePointer<S>?>
  private let weightGradients: UnsafeMutablePointer<UnsafeMutablePointer<S>?>
  private let biasGradients: UnsafeMutablePointer<UnsafeMutablePointer<S>?>

  /// The fused step for `network` trained with `loss`, or `nil` when the network does not qualify
  /// (see the type's description).
  public init?(network: Network<S>, loss: any Loss) {
    var dense: [Dense<S>] = []
    for layer in network.layers {
      guard let layer = layer as? Dense<S>, layer.activation.fusedKernel != nil else { return nil }
      dense.append(layer)
    }
    let layerSizes = [network.inputSize] + dense.map(\.outputSize)
    guard loss.squaredErrorScale(rows: 1, cols: network.outputSize) != nil,
      Kernels.networkStepFits(sizes: layerSizes)
    else { return nil }
    layers = dense
    layerCount = dense.count
    self.loss = loss
    outputs = network.outputSize
    sizes = .allocate(capacity: layerSizes.count)
    sizes.initialize(from: layerSizes, count: layerSizes.count)
    kinds = .allocate(capacity: dense.count)
    weights = .allocate(capacity: dense.count)
    biases = .allocate(capacity: dense.count)
    weightGradients = .allocate(capacity: dense.count)
    biasGradients = .allocate(capacity: dense.count)
    for (l, layer) in dense.enumerated() {
      kinds[l] = layer.activation.fusedKernel!.rawValue
      weights[l] = UnsafePointer(layer.weight.value.base)
      biases[l] = layer.bias.map { UnsafePointer($0.value.base) }
      weightGradients[l] = layer.weight.gradient.base
      biasGradients[l] = layer.bias?.gradient.base
    }
  }

  deinit {
    sizes.deallocate()
    kinds.deallocate()
    weights.deallocate()
    biases.deallocate()
    weightGradients.deallocate()
    biasGradients.deallocate()
  }

  /// Runs the step on a batch: `x` is `[m, inputs]`, `y` is `[m, outputs]` (the loss's targets).
  /// Writes every weight's and bias's gradient and returns the batch's loss before any update, or
  /// `nil` (nothing written) when the kernel could not get its few kilobytes of work memory.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func step(_ x: Matrix<S>, _ y: Matrix<S>) -> Double? {
    precondition(
      x.rows == y.rows && x.cols == sizes[0] && y.cols == outputs,
      "dense network step: batch [\(x.rows), \(x.cols)] with targets [\(y.rows), \(y.cols)] does not fit the network"
    )
    guard x.rows > 0 else { return 0 }
    let c = loss.squaredErrorScale(rows: x.rows, cols: outputs)!
    return S.denseNetworkStep(
      layerCount: layerCount, sizes: sizes, kinds: kinds, weights: weights, biases: biases,
      weightGradients: weightGradients, biasGradients: biasGradients, rows: x.rows,
      x: x.base, y: y.base, lossScale: c, gradientScale: 2 * c)
  }
}
