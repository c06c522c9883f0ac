import NNLayers
import NNProtocols

extension GradientChecker {
  /// Compares back-propagation (the reference step's gradients) with finite differences of `loss`,
  /// for every parameter tensor of `network`, on the batch `x`, `y`, in `phase` (`.inference`
  /// checks dropout as the identity, since a random mask has no derivative to compare).
  ///
  /// - Parameter notDifferentiable: for each layer, the name of an activation without a derivative
  ///   that its parameters reach the loss through, or `nil`; such a layer's tensors are reported as
  ///   not differentiable (naming the activation) and not checked. Empty: none.
  /// - Returns: one check per parameter tensor (`layers.0.weight`, …), in the network's order.
  public func check(
    network: Network<Double>, loss: any Loss, x: Matrix<Double>, y: Matrix<Double>,
    phase: Phase = .inference, notDifferentiable: [String?] = []
  ) -> GradientReport {
    ReferenceStep(network: network, loss: loss).gradients(x, y, phase: phase)
    var entries: [TensorGradientCheck] = []
    for (index, layer) in network.layers.enumerated() {
      for parameter in layer.parameters {
        let path = "layers.\(index).\(parameter.name)"
        if index < notDifferentiable.count, let activation = notDifferentiable[index] {
          entries.append(
            TensorGradientCheck(
              name: path, rows: parameter.value.rows, cols: parameter.value.cols,
              notDifferentiableThrough: activation))
          continue
        }
        let analytic = parameter.gradient.copy()
        entries.append(
          compare(path, analytic: analytic, tensor: parameter.value) {
            loss.value(predictions: network.forward(x, phase: phase), targets: y)
          })
      }
    }
    return GradientReport(entries)
  }
}
