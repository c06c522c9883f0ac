import Foundation
import NNLosses
import NNPipeline
import NNProtocols
import NNTraining
import Testing

/// `OutputReading` reads outputs from the declarations of the loss and the last layer, never names.
struct OutputReadingTests {
  let unbounded = LayerOutputForm.values(-Double.infinity...Double.infinity)
  let unit = LayerOutputForm.values(0...1)

  /// A loss with a name no rule knows, declaring what `cross_entropy` declares.
  struct UnnamedLogitLoss: Loss {
    var name: String { "my_loss" }
    var expectedOutput: LossInput { .logits }
    var targetEncoding: TargetEncoding { .classIndices }
    func value<S: NNScalar>(predictions: Matrix<S>, targets: Matrix<S>) -> Double { 0 }
    func gradient<S: NNScalar>(
      predictions: Matrix<S>, targets: Matrix<S>, into gradient: Matrix<S>
    ) -> Double { 0 }
  }

  @Test func kindsFollowTheDeclarations() {
    func kind(_ loss: any Loss, _ form: LayerOutputForm, outputs: Int) -> OutputReading.Kind {
      OutputReading(loss: loss, outputForm: form, outputCount: outputs, classCount: 3).kind
    }
    #expect(kind(NegativeLogLikelihood(), .distribution, outputs: 3) == .distribution)
    #expect(kind(CrossEntropy(), unbounded, outputs: 3) == .softmaxLogits)
    #expect(kind(UnnamedLogitLoss(), unbounded, outputs: 3) == .softmaxLogits)
    #expect(kind(BinaryCrossEntropyWithLogits(), unbounded, outputs: 1) == .sigmoidLogits)
    #expect(kind(BinaryCrossEntropyWithLogits(), unbounded, outputs: 3) == .sigmoidLogits)
    #expect(kind(MeanSquaredError(), unit, outputs: 3) == .unitProbabilities)
    #expect(kind(BinaryCrossEntropy(), unit, outputs: 1) == .unitProbabilities)
    #expect(kind(MeanSquaredError(), unbounded, outputs: 3) == .scores)
    #expect(kind(MeanSquaredError(), .values(-1...1), outputs: 1) == .scores)
    #expect(kind(HingeLoss(), unbounded, outputs: 1) == .scores)
    #expect(kind(HingeLoss(), unit, outputs: 1) == .scores)
  }

  @Test func oneOutputIsThresholdedBetweenTheTwoTargetValues() {
    func reading(_ loss: any Loss, _ form: LayerOutputForm) -> OutputReading {
      OutputReading(loss: loss, outputForm: form, outputCount: 1, classCount: 2)
    }
    // Logits at 0 (σ(0) = 0.5): a logit of 0.3 is class 1, although it is below 0.5.
    let logits = reading(BinaryCrossEntropyWithLogits(), unbounded)
    #expect(logits.threshold == 0)
    #expect(logits.predictedClass([0.3]) == 1)
    #expect(logits.predictedClass([-0.1]) == 0)
    // ±1 targets at 0; 0/1 targets and probabilities at 0.5.
    #expect(reading(HingeLoss(), unbounded).predictedClass([0.2]) == 1)
    #expect(reading(HingeLoss(), unbounded).predictedClass([-0.2]) == 0)
    #expect(reading(MeanSquaredError(), unbounded).predictedClass([0.4]) == 0)
    #expect(reading(MeanSquaredError(), unbounded).predictedClass([0.6]) == 1)
    #expect(reading(BinaryCrossEntropy(), unit).predictedClass([0.4]) == 0)
    #expect(reading(BinaryCrossEntropy(), unit).threshold == 0.5)
  }

  @Test func probabilitiesAreProbabilities() throws {
    let logits = OutputReading(
      loss: BinaryCrossEntropyWithLogits(), outputForm: unbounded, outputCount: 1, classCount: 2)
    let p = logits.values(of: [4.71])
    #expect(abs(p[1] - 1 / (1 + exp(-4.71))) < 1e-15)
    #expect(abs(p[0] + p[1] - 1) < 1e-15)
    #expect(logits.values(of: [-800]) == [1, 0])  // no overflow

    let softmax = OutputReading(
      loss: CrossEntropy(), outputForm: unbounded, outputCount: 3, classCount: 3)
    let q = softmax.values(of: [1, 2, 3])
    let e = [exp(-2.0), exp(-1.0), 1]
    for (value, expected) in zip(q, e) { #expect(abs(value - expected / e.reduce(0, +)) < 1e-15) }
    #expect(softmax.values(of: [1000, 0, -1000])[0] == 1)

    // Independent sigmoids: normalized to sum to 1, the argmax kept.
    let sigmoids = OutputReading(
      loss: MeanSquaredError(), outputForm: unit, outputCount: 3, classCount: 3)
    let r = sigmoids.values(of: [0.9, 0.6, 0.1])
    #expect(abs(r.reduce(0, +) - 1) < 1e-15)
    #expect(abs(r[0] - 0.9 / 1.6) < 1e-15)
    #expect(sigmoids.predictedClass([0.9, 0.6, 0.1]) == 0)
    #expect(sigmoids.values(of: [0, 0]) == [0.5, 0.5])
    #expect(sigmoids.columnPrefix == "p_")
  }

  @Test func scoresAreNotCalledProbabilities() {
    let scores = OutputReading(
      loss: MeanSquaredError(), outputForm: unbounded, outputCount: 3, classCount: 3)
    #expect(!scores.givesProbabilities)
    #expect(scores.columnPrefix == "score_")
    #expect(scores.values(of: [1.4, -0.2, 0.1]) == [1.4, -0.2, 0.1])
    #expect(scores.predictedClass([1.4, -0.2, 0.1]) == 0)
  }
}
