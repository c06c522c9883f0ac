import Foundation
import NNLosses
import NNProtocols
import Testing

@testable import NNONNX

@Suite("ONNXOutputTransform")
struct ONNXOutputTransformTests {
  /// A 2-input network ending in 3 (or `outputs`) raw scores.
  func network(outputs: Int, transform: ONNXOutputTransform) -> ONNXNetwork {
    ONNXNetwork(
      inputSize: 2,
      layers: [
        .dense(
          weight: ONNXTestMath.randomValues(8, seed: 1), outputs: 4, inputs: 2,
          bias: ONNXTestMath.randomValues(4, seed: 2), activation: "tanh"),
        .dense(
          weight: ONNXTestMath.randomValues(4 * outputs, seed: 3), outputs: outputs, inputs: 4,
          bias: ONNXTestMath.randomValues(outputs, seed: 4)),
      ], precision: .double, outputName: "probabilities", outputTransform: transform)
  }

  @Test func softmaxIsTheLastNodeAndTheOutputsAreSoftmaxOfTheScores() throws {
    let transformed = network(outputs: 3, transform: .softmax)
    let graph = try ONNXTestMath.roundTrip(transformed).graph
    #expect(graph.nodes.map(\.opType) == ["Gemm", "Tanh", "Gemm", "Softmax"])
    #expect(graph.nodes.last?.outputs == ["probabilities"])
    #expect(graph.nodes.last?.attributes == [ONNXAttribute("axis", .int(-1))])
    #expect(graph.outputs.map(\.name) == ["probabilities"])

    let rows = ONNXTestMath.randomRows(6, 2, seed: 5)
    var raw = transformed
    raw.outputTransform = .none
    let scores = ONNXTestMath.forward(raw, rows)
    let expected = scores.map { row in
      let e = row.map { exp($0) }
      return e.map { $0 / e.reduce(0, +) }
    }
    let outputs = try ONNXTestMath.evaluate(transformed, rows)
    let error = zip(outputs, expected).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 1
    #expect(error < 1e-12)
  }

  @Test func sigmoidIsAppliedToEachOutput() throws {
    let transformed = network(outputs: 1, transform: .sigmoid)
    let graph = try ONNXTestMath.roundTrip(transformed).graph
    #expect(graph.nodes.map(\.opType) == ["Gemm", "Tanh", "Gemm", "Sigmoid"])
    let rows = ONNXTestMath.randomRows(6, 2, seed: 6)
    var raw = transformed
    raw.outputTransform = .none
    let expected = ONNXTestMath.forward(raw, rows).map { $0.map { 1 / (1 + exp(-$0)) } }
    let outputs = try ONNXTestMath.evaluate(transformed, rows)
    let error = zip(outputs, expected).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 1
    #expect(error < 1e-12)
  }

  @Test func theTransformIsChosenFromTheLossDeclarations() {
    // Logits read as one class index per row: one distribution over the classes.
    #expect(ONNXOutputTransform.probabilities(for: CrossEntropy(), outputs: 3) == .softmax)
    // Logits of independent outputs (one or many): a sigmoid each.
    #expect(
      ONNXOutputTransform.probabilities(for: BinaryCrossEntropyWithLogits(), outputs: 1) == .sigmoid
    )
    #expect(
      ONNXOutputTransform.probabilities(for: BinaryCrossEntropyWithLogits(), outputs: 4) == .sigmoid
    )
    // Outputs that already are probabilities, or values: nothing to add.
    #expect(ONNXOutputTransform.probabilities(for: NegativeLogLikelihood(), outputs: 3) == .none)
    #expect(ONNXOutputTransform.probabilities(for: MeanSquaredError(), outputs: 2) == .none)
  }
}
