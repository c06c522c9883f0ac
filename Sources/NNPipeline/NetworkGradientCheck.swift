import NNLayers
import NNProtocols
import NNTestSupport

extension ModelRunner {
  /// Compares back-propagation with central finite differences, in `Double`, for every parameter
  /// tensor of the network `description` builds, on its first `samples` training samples.
  ///
  /// The loss is the model's own loss, so the check covers the layers, the activations and the loss's
  /// gradient together: the chain the tutorials derive by hand. Dropout is checked in inference mode
  /// (as the identity), since a random mask has no derivative to compare.
  ///
  /// - Returns: the largest relative error of each tensor (`layers.0.weight`, …).
  public func gradientCheck(
    _ description: ModelDescription, samples: Int = 8, step: Double = 1e-6
  ) throws -> GradientReport {
    let (data, model) = try prepare(description)
    var generator = SeededGenerator(seed: description.training.seed)
    let network = try Network<Double>(
      builders: model.builders, inputSize: model.inputSize, generator: &generator)
    if let path = description.initialWeights {
      try Checkpoint.loadWeights(from: path, into: network.parameters)
    }
    let session = Session<Double>(runner: self, data: data, model: model)
    let all = session.labeled(data.train)
    let count = min(samples, all.count)
    let x = all.features.rows(0..<count).copy()
    let y = all.targets.rows(0..<count).copy()
    let phase = Phase.inference
    let loss = model.loss
    let dA = Matrix<Double>(rows: count, cols: network.outputSize)
    let output = network.forward(x, phase: phase)
    loss.gradient(predictions: output, targets: y, into: dA)
    network.backward(dA)
    let analytic = network.parameters.map { ($0.path, $0.parameter.gradient.copy()) }
    let checker = GradientChecker(step: step)
    var entries: [(String, Double)] = []
    for ((path, gradient), (_, parameter)) in zip(analytic, network.parameters) {
      let error = checker.maxError(analytic: gradient, tensor: parameter.value) {
        loss.value(predictions: network.forward(x, phase: phase), targets: y)
      }
      entries.append((path, error))
    }
    return GradientReport(entries)
  }
}
