import NNActivations
import NNKernels
import NNLayers
import NNLosses
import NNProtocols
import NNTestSupport
import NNTraining
import Testing

/// A network shape for the fused step: sizes (input first), one activation per layer, bias or not,
/// and the loss.
struct StepCase: CustomStringConvertible, Sendable {
  var sizes: [Int]
  var activations: [FusedActivationKernel]
  var bias: Bool
  var loss: String

  var description: String {
    "\(sizes.map(String.init).joined(separator: "-")) \(activations) bias=\(bias) \(loss)"
  }

  func makeLoss() -> any Loss {
    switch loss {
    case "half_sse": return HalfSumSquaredError()
    case "mse": return MeanSquaredError()
    default: return HalfMeanSquaredError()
    }
  }

  func activation(_ kind: FusedActivationKernel) -> any Activation {
    switch kind {
    case .sigmoid: return Sigmoid()
    case .tanh: return Tanh()
    case .relu: return ReLU()
    case .identity: return Identity()
    }
  }

  /// A network with weights and biases drawn from `seed` (scaled so no unit saturates).
  func network<S: NNScalar>(seed: UInt64, as type: S.Type) -> Network<S> {
    var generator = SeededGenerator(seed: seed)
    var layers: [any Layer<S>] = []
    for l in 1..<sizes.count {
      let weight = randomMatrix(
        rows: sizes[l], cols: sizes[l - 1], scale: 0.7, using: &generator, as: S.self)
      let b: Matrix<S>? =
        bias ? randomMatrix(rows: 1, cols: sizes[l], scale: 0.3, using: &generator) : nil
      layers.append(Dense(weight: weight, bias: b, activation: activation(activations[l - 1])))
    }
    return Network(layers: layers)
  }
}

let stepCases: [StepCase] = [
  // The first tutorial's sine network.
  StepCase(sizes: [1, 20, 1], activations: [.sigmoid, .identity], bias: true, loss: "half_mse"),
  // The second tutorial's XNOR network: no biases (a constant input column instead).
  StepCase(sizes: [3, 4, 1], activations: [.sigmoid, .sigmoid], bias: false, loss: "half_sse"),
  StepCase(sizes: [4, 9, 3], activations: [.tanh, .identity], bias: true, loss: "mse"),
  StepCase(
    sizes: [5, 7, 6, 2], activations: [.relu, .tanh, .sigmoid], bias: true, loss: "half_mse"),
  StepCase(sizes: [2, 3], activations: [.relu], bias: true, loss: "half_sse"),
  StepCase(sizes: [64, 16, 64], activations: [.tanh, .identity], bias: false, loss: "mse"),
]

/// Batches around the tile sizes: 1 sample, part of a vector, whole vectors, and past a full tile.
private let batchSizes = [1, 3, 4, 7, 8, 9, 31, 33, 64, 65, 100, 130]

@Suite("FusedDenseStep")
struct FusedDenseStepTests {
  /// Loss and gradients of the fused step against the layer-by-layer step's, for every batch size,
  /// within `tolerance` of the largest value of each tensor.
  func compareWithLayerByLayer<S: NNScalar>(
    _ shape: StepCase, as type: S.Type, seed: UInt64, tolerance: Double
  ) throws {
    for rows in batchSizes {
      var generator = SeededGenerator(seed: UInt64(rows) + seed)
      let x = randomMatrix(rows: rows, cols: shape.sizes[0], using: &generator, as: S.self)
      let y = randomMatrix(rows: rows, cols: shape.sizes.last!, using: &generator, as: S.self)
      let network = shape.network(seed: seed, as: S.self)
      let reference = referenceStep(network, shape.makeLoss(), x, y)
      let step = try #require(fusedStep(network, shape.makeLoss()))
      let value = try #require(step.gradients(x, y))
      #expect(
        abs(value - reference.loss) <= tolerance * max(1, abs(reference.loss)), "rows \(rows)")
      for (fused, expected) in zip(gradients(network), reference.gradients) {
        let scale = expected.map(abs).max() ?? 0
        for (f, e) in zip(fused, expected) {
          #expect(abs(f - e) <= tolerance * max(scale, 1e-300), "\(shape), rows \(rows)")
        }
      }
    }
  }

  /// Sums of at most a few hundred terms, taken in another order: ~1e-15 relative each.
  @Test(arguments: stepCases)
  func matchesTheLayerByLayerStepInDouble(_ shape: StepCase) throws {
    try compareWithLayerByLayer(shape, as: Double.self, seed: 7, tolerance: 1e-12)
  }

  /// Float rounding of sums of up to 130 terms, in another order.
  @Test(arguments: stepCases)
  func matchesTheLayerByLayerStepInFloat(_ shape: StepCase) throws {
    try compareWithLayerByLayer(shape, as: Float.self, seed: 11, tolerance: 2e-5)
  }

  /// Every gradient the fused step writes against central differences of the loss it returns.
  @Test(arguments: stepCases)
  func gradientsMatchCentralDifferences(_ shape: StepCase) throws {
    var generator = SeededGenerator(seed: 5)
    let rows = 13
    let x = randomMatrix(rows: rows, cols: shape.sizes[0], using: &generator, as: Double.self)
    let y = randomMatrix(rows: rows, cols: shape.sizes.last!, using: &generator, as: Double.self)
    let network = shape.network(seed: 3, as: Double.self)
    let step = try #require(fusedStep(network, shape.makeLoss()))
    _ = try #require(step.gradients(x, y))
    let analytic = gradients(network)
    let checker = GradientChecker()  // central differences, h = 1e-6
    for (index, entry) in network.parameters.enumerated() {
      let numerical = checker.numericalGradient(of: entry.parameter.value) {
        step.gradients(x, y) ?? .nan
      }
      for (a, n) in zip(analytic[index], numerical) {
        // Relative 1e-6, plus the differences' own rounding, ε·L/h ≈ 1e-10 for a loss near 1 (ReLU's
        // kink is not differentiable; the draws keep every z away from it).
        #expect(abs(a - n) <= 1e-6 * abs(n) + 1e-8, "\(shape) \(entry.path): \(a) vs \(n)")
      }
    }
  }

  @Test func runsGiveTheSameBitsAndTheSIMDPathAgreesWithThePortableOne() throws {
    let shape = stepCases[3]
    var generator = SeededGenerator(seed: 9)
    let x = randomMatrix(rows: 77, cols: shape.sizes[0], using: &generator, as: Float.self)
    let y = randomMatrix(rows: 77, cols: shape.sizes.last!, using: &generator, as: Float.self)
    let network = shape.network(seed: 1, as: Float.self)
    let step = try #require(fusedStep(network, shape.makeLoss()))
    let first = try #require(step.gradients(x, y))
    let firstGradients = gradients(network)
    let second = try #require(step.gradients(x, y))
    #expect(first.bitPattern == second.bitPattern)
    #expect(gradients(network) == firstGradients)

    // The SIMD switch is process-wide: hold it against the kernel tests that also turn it.
    let portable = try withProcessWideKernelSettings {
      defer { Kernels.setSIMDEnabled(true) }
      Kernels.setSIMDEnabled(false)
      return try #require(step.gradients(x, y))
    }
    #expect(abs(portable - first) <= 1e-5 * abs(first))
    for (p, s) in zip(gradients(network), firstGradients) {
      let scale = s.map(abs).max() ?? 0
      for (a, b) in zip(p, s) { #expect(abs(a - b) <= 1e-5 * scale) }
    }
  }

  @Test func networksOutsideTheKernelsReachAreDeclined() throws {
    var generator = SeededGenerator(seed: 1)
    func network(_ builders: [any LayerBuilder], inputs: Int) throws -> Network<Float> {
      try Network<Float>(builders: builders, inputSize: inputs, generator: &generator)
    }
    let small = try network([DenseBuilder(units: 4, activation: Sigmoid())], inputs: 2)
    #expect(fusedStep(small, HalfMeanSquaredError()) != nil)
    // A loss that is not a sum of squared errors.
    #expect(fusedStep(small, MeanAbsoluteError()) == nil)
    // A layer that is not dense, and an activation without a fused kernel.
    let dropout = try network([DenseBuilder(units: 4), DropoutBuilder(rate: 0.5)], inputs: 2)
    #expect(fusedStep(dropout, HalfMeanSquaredError()) == nil)
    let elu = try network([DenseBuilder(units: 4, activation: ELU())], inputs: 2)
    #expect(fusedStep(elu, HalfMeanSquaredError()) == nil)
    // Too wide, and too many weights.
    let wide = try network([DenseBuilder(units: Kernels.networkStepMaxWidth + 1)], inputs: 2)
    #expect(fusedStep(wide, HalfMeanSquaredError()) == nil)
    let heavy = try network(
      [DenseBuilder(units: 64), DenseBuilder(units: 64), DenseBuilder(units: 64)], inputs: 64)
    #expect(64 * 64 * 3 > Kernels.networkStepMaxWeights)
    #expect(fusedStep(heavy, HalfMeanSquaredError()) == nil)
  }

  @Test func anEmptyBatchHasZeroLossAndWritesNothing() throws {
    let network = stepCases[0].network(seed: 2, as: Double.self)
    let step = try #require(fusedStep(network, HalfMeanSquaredError()))
    for entry in network.parameters { entry.parameter.gradient.base[0] = 42 }
    let value = step.gradients(Matrix(rows: 0, cols: 1), Matrix(rows: 0, cols: 1))
    #expect(value == 0)
    #expect(network.parameters.allSatisfy { $0.parameter.gradient.base[0] == 42 })
  }
}
