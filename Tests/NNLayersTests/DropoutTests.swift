import Foundation
import NNLayers
import NNProtocols
import NNTestSupport
import Testing

/// Makes a dropout layer deterministic for a gradient check: every forward pass runs on a fresh copy
/// of `template`, whose generator is in the same state each time, so every pass draws the same mask.
private final class FixedMaskDropout: Layer {
  typealias Scalar = Double
  let template: Dropout<Double>
  var current: Dropout<Double>
  init(_ template: Dropout<Double>) {
    self.template = template
    current = template.copy()
  }
  var kind: String { "dropout" }
  var inputSize: Int { template.inputSize }
  var outputSize: Int { template.outputSize }
  var parameters: [Parameter<Double>] { [] }
  func forward(_ input: Matrix<Double>, phase: Phase) -> Matrix<Double> {
    current = template.copy()
    return current.forward(input, phase: phase)
  }
  func backward(_ dA: Matrix<Double>, needsInputGradient: Bool) -> Matrix<Double> {
    current.backward(dA, needsInputGradient: needsInputGradient)
  }
  func copy() -> FixedMaskDropout { FixedMaskDropout(template) }
}

@Suite("Dropout")
struct DropoutTests {
  @Test func inferenceIsTheIdentity() {
    var generator = SeededGenerator(seed: 1)
    let layer = Dropout<Double>(size: 5, rate: 0.5, generator: generator.split())
    let input: Matrix<Double> = randomMatrix(rows: 4, cols: 5, using: &generator)
    let before = layer.generator
    let output = layer.forward(input, phase: .inference)
    #expect(output.elementsEqual(input))
    let dA: Matrix<Double> = randomMatrix(rows: 4, cols: 5, using: &generator)
    #expect(layer.backward(dA, needsInputGradient: true).elementsEqual(dA))
    #expect(layer.generator == before)  // inference draws nothing
  }

  @Test(arguments: [0.1, 0.5, 0.8])
  func trainingDropsAboutRateAndScalesTheRest(rate: Double) {
    let (rows, cols) = (200, 500)
    let layer = Dropout<Float>(size: cols, rate: rate, generator: SeededGenerator(seed: 42))
    let ones = Matrix<Float>(rows: rows, cols: cols)
    ones.fill(1)
    let output = layer.forward(ones, phase: .training)
    let n = Double(rows * cols)
    let dropped = Double(output.scalars.filter { $0 == 0 }.count)
    // The number dropped is Binomial(n, p): within 6 standard deviations of n·p.
    let sd = (n * rate * (1 - rate)).squareRoot()
    #expect(abs(dropped - n * rate) < 6 * sd, "dropped \(dropped) of \(n)")
    let keep = Float(1 / (1 - rate))
    #expect(output.scalars.allSatisfy { $0 == 0 || $0 == keep })
  }

  @Test func sameSeedGivesTheSameMaskAndSuccessivePassesDiffer() {
    var generator = SeededGenerator(seed: 9)
    let input: Matrix<Double> = randomMatrix(rows: 8, cols: 16, using: &generator)
    let first = Dropout<Double>(size: 16, rate: 0.3, generator: SeededGenerator(seed: 77))
    let second = Dropout<Double>(size: 16, rate: 0.3, generator: SeededGenerator(seed: 77))
    let a = first.forward(input, phase: .training).copy()
    let b = second.forward(input, phase: .training)
    #expect(a.elementsEqual(b))
    let next = first.forward(input, phase: .training)
    #expect(!next.elementsEqual(a))  // a fresh mask each step
  }

  @Test func copyDrawsTheSameNextMask() {
    var generator = SeededGenerator(seed: 4)
    let input: Matrix<Double> = randomMatrix(rows: 3, cols: 10, using: &generator)
    let layer = Dropout<Double>(size: 10, rate: 0.5, generator: SeededGenerator(seed: 5))
    _ = layer.forward(input, phase: .training)  // advance the generator
    let copy = layer.copy()
    #expect(copy.rate == 0.5)
    let a = layer.forward(input, phase: .training).copy()
    #expect(copy.forward(input, phase: .training).elementsEqual(a))
  }

  @Test func backwardAppliesTheSameMask() {
    let layer = Dropout<Double>(size: 50, rate: 0.5, generator: SeededGenerator(seed: 6))
    let ones = Matrix<Double>(rows: 2, cols: 50)
    ones.fill(1)
    let mask = layer.forward(ones, phase: .training).copy()  // A = 1 ∘ M = M
    let dA = Matrix<Double>(rows: 2, cols: 50)
    dA.fill(3)
    let dX = layer.backward(dA, needsInputGradient: true)
    #expect(dX.scalars == mask.scalars.map { 3 * $0 })  // dX = dA ∘ M
  }

  @Test func gradientMatchesCentralDifferencesWithAFixedMask() {
    var generator = SeededGenerator(seed: 12)
    let layer = FixedMaskDropout(Dropout(size: 6, rate: 0.4, generator: generator.split()))
    let input: Matrix<Double> = randomMatrix(rows: 5, cols: 6, using: &generator)
    // The mask really is fixed and really drops something.
    let a = layer.forward(input, phase: .training).copy()
    #expect(layer.forward(input, phase: .training).elementsEqual(a))
    #expect(a.scalars.contains(0) && a.scalars.contains { $0 != 0 })
    let report = GradientChecker().check(layer: layer, input: input, using: &generator)
    #expect(report.maxError < 1e-6, "\(report)")
  }

  @Test func rateZeroIsTheIdentityEvenWhileTraining() {
    var generator = SeededGenerator(seed: 13)
    let layer = Dropout<Double>(size: 4, rate: 0, generator: generator.split())
    let input: Matrix<Double> = randomMatrix(rows: 3, cols: 4, using: &generator)
    #expect(layer.forward(input, phase: .training).elementsEqual(input))
    #expect(layer.detail == "p=0")
    #expect(layer.parameters.isEmpty)
  }
}
