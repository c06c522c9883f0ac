import NNLayers
import NNOptimizers
import NNProtocols

/// The tutorial's training step, one layer at a time: the step every other step is tested against,
/// and the one the trainer takes when no faster step qualifies (see `StepPlanner`).
///
/// ```
/// forward   Zˡ = Aˡ⁻¹·Wˡᵀ + bˡ,  Aˡ = g(Zˡ)              l = 1 … L,  A⁰ = X   (every Z and A kept)
/// loss      L(Aᴸ, Y) and dAᴸ = ∂L/∂Aᴸ                   (e.g. (Aᴸ − Y)/m for ½·mean squared error)
/// backward  dZˡ = dAˡ ∘ g'(Zˡ),  dWˡ = dZˡᵀ·Aˡ⁻¹,  dbˡ = Σ_rows dZˡ,  dAˡ⁻¹ = dZˡ·Wˡ   l = L … 1
/// update    every parameter by its path, by the optimizer (θ ← θ − η·dθ for plain SGD)
/// ```
/// Each layer computes its own lines: `Dense.forward` keeps `Z` and `A`, `Dense.backward` writes
/// `dW` and `db` and returns `dA_prev`; any layer (dropout, softmax, a user's own) takes part the same
/// way. Nothing is allocated after the first step with the largest batch.
public final class ReferenceStep<S: NNScalar>: TrainingStep {
  /// The network trained, and the loss it is trained on.
  public let network: Network<S>
  public let loss: any Loss
  /// `dA` of the output layer, sized for the largest batch so far.
  private var outputGradient: Matrix<S>

  public init(network: Network<S>, loss: any Loss) {
    self.network = network
    self.loss = loss
    outputGradient = Matrix(rows: 0, cols: network.outputSize)
  }

  public var kind: StepKind { .reference }

  /// Forward, loss and backward on a batch (`x` `[m, inputs]`, `y` the loss's targets): writes
  /// every parameter's gradient and returns the batch's loss. `phase` is `.training` for a training
  /// step; the gradient check runs it in `.inference` (dropout as the identity).
  @discardableResult
  public func gradients(_ x: Matrix<S>, _ y: Matrix<S>, phase: Phase = .training) -> Double {
    // Forward: Z = X·Wᵀ + b, A = g(Z), layer by layer; every layer keeps what backward needs.
    let output = network.forward(x, phase: phase)
    // The loss gives its value and dA = ∂loss/∂A of the output layer (e.g. (A − Y)/m).
    if outputGradient.rows < x.rows {
      outputGradient = Matrix(rows: x.rows, cols: network.outputSize)
    }
    let dA = outputGradient.rows(0..<x.rows)
    let value = loss.gradient(predictions: output, targets: y, into: dA)
    // Backward: dZ = dA ∘ g'(Z), dW = dZᵀ·A_prev, db = Σ dZ, dA_prev = dZ·W, in reverse.
    network.backward(dA)
    return value
  }

  public func train(
    _ x: Matrix<S>, _ y: Matrix<S>, updater: ParameterUpdater<S>, epoch: Int, totalEpochs: Int
  ) -> Double {
    let value = gradients(x, y)
    // Update: every parameter by its path.
    updater.step(network.parameters, epoch: epoch, totalEpochs: totalEpochs, measuringNorm: false)
    return value
  }
}
