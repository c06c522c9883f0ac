import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

// Helpers shared by the optimizer tests: run an optimizer over a fixed gradient sequence, and minimize
// a small ill-conditioned quadratic.

/// Applies `optimizer` to a `1 × n` parameter starting at `start`, feeding `gradients` one per step,
/// and returns the parameter after every step (in `Double`) and the final state.
func trajectory<S: NNScalar>(
  of optimizer: any Optimizer, from start: [Double], gradients: [[Double]],
  learningRate: Double? = nil, as type: S.Type = Double.self
) -> (values: [[Double]], state: OptimizerState<S>) {
  let rate = learningRate ?? (optimizer as? any LearningRateOptimizer)?.learningRate ?? 0
  let parameter = Matrix<S>(rows: 1, cols: start.count, scalars: start.map { S($0) })
  let gradient = Matrix<S>(rows: 1, cols: start.count)
  let state = OptimizerState<S>()
  var values: [[Double]] = []
  for g in gradients {
    for (i, element) in g.enumerated() { gradient.base[i] = S(element) }
    state.step += 1
    let slots = state.slots(for: "p", shapedLike: parameter, optimizer: optimizer)
    optimizer.update(
      parameter, gradient: gradient, state: slots, step: state.step, learningRate: rate)
    values.append(parameter.scalars.map { Double($0) })
  }
  return (values, state)
}

/// Expects `actual` to equal `expected` element by element within `tolerance` (absolute).
func expectClose(
  _ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    isApproximatelyEqual(actual, expected, absolute: tolerance, relative: 0),
    "\(actual) is not \(expected) ± \(tolerance)", sourceLocation: sourceLocation)
}

/// The ill-conditioned quadratic `f(x) = ½·Σ cᵢ·(xᵢ − tᵢ)²` with curvatures `c = (1, 10)` and minimum
/// at `t = (3, −2)`; `∇f = c ∘ (x − t)`. From `x = (0, 0)`, `f = ½·(9 + 40) = 24.5`.
enum Quadratic {
  static let curvature = [1.0, 10.0]
  static let target = [3.0, -2.0]
  static let start = [0.0, 0.0]

  /// `f(x)`, in `Double`.
  static func loss(_ x: [Double]) -> Double {
    zip(zip(curvature, target), x).reduce(0) {
      $0 + 0.5 * $1.0.0 * ($1.1 - $1.0.1) * ($1.1 - $1.0.1)
    }
  }

  /// The loss after every one of `steps` steps of `optimizer` from `start`, computing in `S`.
  static func losses<S: NNScalar>(
    _ optimizer: any Optimizer, steps: Int, as type: S.Type
  ) -> [Double] {
    let updater = ParameterUpdater<S>(optimizer: optimizer)
    let x = Matrix<S>(rows: 1, cols: 2, scalars: start.map { S($0) })
    let g = Matrix<S>(rows: 1, cols: 2)
    let parameters = [(path: "x", parameter: Parameter(name: "x", value: x, gradient: g))]
    var history: [Double] = []
    for _ in 0..<steps {
      for i in 0..<2 { g.base[i] = S(curvature[i]) * (x.base[i] - S(target[i])) }
      updater.step(parameters, epoch: 0, totalEpochs: 1)
      history.append(loss(x.scalars.map { Double($0) }))
    }
    return history
  }

  /// Expects `optimizer` to bring the loss from 24.5 to below `threshold` within `steps` steps, in
  /// `Float` and in `Double`.
  static func expectConverges(
    _ optimizer: any Optimizer, below threshold: Double, within steps: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (type, history) in [
      ("Float", losses(optimizer, steps: steps, as: Float.self)),
      ("Double", losses(optimizer, steps: steps, as: Double.self)),
    ] {
      let final = history.last ?? .infinity
      #expect(
        final < threshold,
        "\(optimizer.name) in \(type): loss \(final) after \(steps) steps, expected < \(threshold)",
        sourceLocation: sourceLocation)
    }
  }
}
