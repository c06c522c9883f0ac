import NNLayers
import NNLosses
import NNOptimizers
import NNProtocols
import NNTestSupport
import NNTraining
import Testing

/// One network for the candidates test: built twice from one seed, its loss, and a batch.
struct CandidateCase: CustomStringConvertible, Sendable {
  var name: String
  var network: @Sendable (_ seed: UInt64) -> Network<Double>
  var networkFloat: @Sendable (_ seed: UInt64) -> Network<Float>
  var loss: @Sendable () -> any Loss
  var batch: @Sendable (_ rows: Int) -> (Matrix<Double>, Matrix<Double>)

  var description: String { name }
}

/// The fused step's and the sharded step's networks, each with the loss it is tested with.
let candidateCases: [CandidateCase] =
  stepCases.map { shape in
    CandidateCase(
      name: "\(shape)", network: { shape.network(seed: $0, as: Double.self) },
      networkFloat: { shape.network(seed: $0, as: Float.self) }, loss: { shape.makeLoss() },
      batch: { rows in
        var generator = SeededGenerator(seed: UInt64(rows))
        return (
          randomMatrix(rows: rows, cols: shape.sizes[0], using: &generator, as: Double.self),
          randomMatrix(rows: rows, cols: shape.sizes.last!, using: &generator, as: Double.self)
        )
      })
  }
  + shardCases.map { shape in
    CandidateCase(
      name: "\(shape)", network: { shape.network(seed: $0, as: Double.self) },
      networkFloat: { shape.network(seed: $0, as: Float.self) }, loss: { shape.loss() },
      batch: { rows in shape.batch(rows: rows, seed: UInt64(rows), as: Double.self) })
  }

/// Every candidate step that qualifies for a network is run against the reference step: the same
/// losses, step after step, and the same weights after the optimizer's updates.
@Suite struct TrainingStepTests {
  /// Three steps (SGD with momentum) of every qualifying step on a fresh copy of the network,
  /// against three reference steps; each tensor within `tolerance` of its largest value.
  func compareEveryCandidate<S: NNScalar>(
    _ shape: CandidateCase, as type: S.Type, tolerance: Double,
    network: (UInt64) -> Network<S>
  ) throws -> [StepKind] {
    let rows = 256
    let (x64, y64) = shape.batch(rows)
    let (x, y) = (x64.converted(to: S.self), y64.converted(to: S.self))
    func run(_ kind: StepKind) throws -> (losses: [Double], weights: [[Double]])? {
      let net = network(4)
      let updater = ParameterUpdater<S>(
        optimizer: try SGD(learningRate: 0.05, momentum: 0.9))
      let planner = StepPlanner(network: net, loss: shape.loss(), updater: updater, threads: 2)
      guard planner.failedCondition(kind) == nil else { return nil }
      let step = planner.make(kind)
      #expect(step.kind == kind)
      if let sharded = step as? ShardedDenseStep<S> { #expect(sharded.takes(rows: rows)) }
      let losses = (0..<3).map { epoch in
        step.train(x, y, updater: updater, epoch: epoch, totalEpochs: 3)
      }
      return (losses, net.parameters.map { $0.parameter.value.buffer.map(Double.init) })
    }
    let reference = try #require(try run(.reference))
    var compared: [StepKind] = []
    for kind in StepKind.allCases where kind != .reference {
      guard let candidate = try run(kind) else { continue }
      compared.append(kind)
      for (a, b) in zip(candidate.losses, reference.losses) {
        #expect(abs(a - b) <= tolerance * max(1, abs(b)), "\(shape) \(kind) loss")
      }
      for (a, b) in zip(candidate.weights, reference.weights) {
        let scale = b.map(abs).max() ?? 0
        for (u, v) in zip(a, b) {
          #expect(abs(u - v) <= tolerance * max(scale, 1e-300), "\(shape) \(kind) weights")
        }
      }
    }
    return compared
  }

  @Test(arguments: candidateCases)
  func everyQualifyingStepMatchesTheReferenceInDouble(_ shape: CandidateCase) throws {
    let compared = try compareEveryCandidate(
      shape, as: Double.self, tolerance: 1e-12, network: shape.network)
    #expect(!compared.isEmpty, "\(shape): no candidate qualified")
  }

  @Test(arguments: candidateCases)
  func everyQualifyingStepMatchesTheReferenceInFloat(_ shape: CandidateCase) throws {
    let compared = try compareEveryCandidate(
      shape, as: Float.self, tolerance: 2e-5, network: shape.networkFloat)
    #expect(!compared.isEmpty, "\(shape): no candidate qualified")
  }
}
