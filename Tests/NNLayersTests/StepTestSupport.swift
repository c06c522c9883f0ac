import NNLayers
import NNProtocols

/// The gradients a step wrote, in parameter order.
func gradients<S: NNScalar>(_ network: Network<S>) -> [[Double]] {
  network.parameters.map { $0.parameter.gradient.buffer.map(Double.init) }
}

/// The layer-by-layer step (the tutorials' forward, loss, backward): loss and gradients, the
/// reference the fused and the sharded steps are compared with.
func layerByLayer<S: NNScalar>(
  _ network: Network<S>, _ loss: any Loss, _ x: Matrix<S>, _ y: Matrix<S>
) -> (loss: Double, gradients: [[Double]]) {
  let output = network.forward(x, phase: .training)
  let dA = Matrix<S>(rows: output.rows, cols: output.cols)
  let value = loss.gradient(predictions: output, targets: y, into: dA)
  network.backward(dA)
  return (value, gradients(network))
}
