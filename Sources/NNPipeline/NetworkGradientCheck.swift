import NNCheckpoints
import NNLayers
import NNModelLanguage
import NNProtocols
import NNTraining

extension ModelRunner {
  /// Compares back-propagation with finite differences, in `Double`, for every parameter tensor of
  /// the network `description` builds, on its first `samples` training samples.
  ///
  /// The loss is the model's own loss, so the check covers the layers, the activations and the loss's
  /// gradient together: the chain the tutorials derive by hand. The network, its outputs and the loss
  /// are all computed in `Double`, whatever precision the model trains in, so that the differences
  /// `L(θ + h) − L(θ − h)` keep about 13 significant digits. Dropout is checked in inference mode (as
  /// the identity), since a random mask has no derivative to compare.
  ///
  /// A tensor whose influence on the loss passes through an activation without a derivative
  /// (`Activation.isTrainable == false`, such as `sign`) has nothing to compare: back-propagation
  /// gives it zeros and the finite differences are zero or a jump. It is reported as not
  /// differentiable, naming that activation, and not checked. Tensors after the last such activation
  /// are checked as usual.
  ///
  /// - Parameters:
  ///   - checker: the step and tolerances (see `GradientChecker`).
  /// - Returns: one check per parameter tensor (`layers.0.weight`, …), in the network's order.
  public func gradientCheck(
    _ description: ModelDescription, samples: Int = 8, checker: GradientChecker = GradientChecker()
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
    return checker.check(
      network: network, loss: model.loss, x: x, y: y, phase: .inference,
      notDifferentiable: Self.nonDifferentiableActivations(model.builders))
  }

  /// For each layer, the name of the first activation without a derivative at or after it (its
  /// parameters reach the loss through that activation), or `nil` when there is none.
  static func nonDifferentiableActivations(_ builders: [any LayerBuilder]) -> [String?] {
    var result = [String?](repeating: nil, count: builders.count)
    var next: String?
    for index in builders.indices.reversed() {
      if let activation = builders[index].outputActivation, !activation.isTrainable {
        next = activation.name
      }
      result[index] = next
    }
    return result
  }
}
