import NNKernels
import NNLayers
import NNOptimizers
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
/// `StepPlanner` decides when a network qualifies (every layer a `Dense` with a fused activation, a
/// squared-error loss, sizes within the kernel's limits) and makes the step. The layers' own saved
/// `Z` and `A` are not updated by a fused step: it replaces a training step's forward and backward,
/// not `Network.forward`.
public final class FusedDenseStep<S: NNScalar>: TrainingStep {
  /// The dense layers, first to last (kept so the pointers below stay valid).
  public let layers: [Dense<S>]
  private let layerCount: Int
  private let loss: any Loss
  private let outputs: Int
  /// The step taken when the kernel cannot get its work memory.
  private let reference: ReferenceStep<S>
  // What the kernel reads, laid out once: sizes (input first), activation kinds, and per layer the
  // weight, bias and gradient pointers (the layers' matrices never move).
  private let sizes: UnsafeMutablePointer<Int>
  private let kinds: UnsafeMutablePointer<Int32>
  private let weights: UnsafeMutablePointer<UnsafePointer<S>?>
  private let biases: UnsafeMutablePointer<UnsafePointer<S>?>
  private let weightGradients: UnsafeMutablePointer<UnsafeMutablePointer<S>?>
  private let biasGradients: UnsafeMutablePointer<UnsafeMutablePointer<S>?>

  /// The fused step for `network` trained with `loss`; `StepPlanner.failedCondition(.fused)` is
  /// `nil` for them (every layer a `Dense` with a fused activation, a squared-error loss).
  init(network: Network<S>, loss: any Loss) {
    let dense = network.layers.map { $0 as! Dense<S> }
    let layerSizes = [network.inputSize] + dense.map(\.outputSize)
    layers = dense
    layerCount = dense.count
    self.loss = loss
    outputs = network.outputSize
    reference = ReferenceStep(network: network, loss: loss)
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

  public var kind: StepKind { .fused }

  public func train(
    _ x: Matrix<S>, _ y: Matrix<S>, updater: ParameterUpdater<S>, epoch: Int, totalEpochs: Int
  ) -> Double {
    let value = gradients(x, y) ?? reference.gradients(x, y)
    updater.step(
      reference.network.parameters, epoch: epoch, totalEpochs: totalEpochs, measuringNorm: false)
    return value
  }

  /// Forward, loss and backward on a batch: `x` is `[m, inputs]`, `y` is `[m, outputs]` (the loss's
  /// targets). Writes every weight's and bias's gradient and returns the batch's loss before any
  /// update, or `nil` (nothing written) when the kernel could not get its few kilobytes of work
  /// memory.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func gradients(_ x: Matrix<S>, _ y: Matrix<S>) -> Double? {
    precondition(
      x.rows == y.rows && x.cols == sizes[0] && y.cols == outputs,
      "fused step: batch [\(x.rows), \(x.cols)] with targets [\(y.rows), \(y.cols)] does not fit the network"
    )
    guard x.rows > 0 else { return 0 }
    let c = loss.squaredErrorScale(rows: x.rows, cols: outputs)!
    return S.denseNetworkStep(
      layerCount: layerCount, sizes: sizes, kinds: kinds, weights: weights, biases: biases,
      weightGradients: weightGradients, biasGradients: biasGradients, rows: x.rows,
      x: x.base, y: y.base, lossScale: c, gradientScale: 2 * c)
  }
}
