import NNModelLanguage
import NNOptimizers
import NNProtocols
import Testing

@testable import NNPipeline

/// A probability-valued activation that is not called `sigmoid`: `g(z) = (1 + z/(1 + |z|))/2`.
private struct Squash: Activation {
  var name: String { "squash" }
  var outputRange: ClosedRange<Double> { 0...1 }
  func value<S: NNScalar>(_ z: S) -> S { (1 + z / (1 + abs(z))) / 2 }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 1 / (2 * (1 + abs(z)) * (1 + abs(z))) }
}

/// An optimizer that declares it needs the full batch, as a user's own could.
private struct WholeBatchSGD: Optimizer {
  var name: String { "whole_batch_sgd" }
  var requirements: Set<TrainingRequirement> { [.fullBatch] }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {}
}

/// The standard registry plus `squash` and `whole_batch_sgd`.
private func registry() throws -> ComponentRegistry {
  var registry = ComponentRegistry.standard()
  try registry.registerActivation("squash", summary: "g(z) = (1 + z/(1 + |z|))/2") { _ in Squash() }
  try registry.registerOptimizer("whole_batch_sgd", summary: "p ← p (a test)") { _ in
    WholeBatchSGD()
  }
  return registry
}

/// `text` prepared for two-input data of two classes (or one regression target).
private func prepared(_ text: String, classes: [String]? = ["a", "b"]) throws -> PreparedModel {
  let registry = try registry()
  let description = try ModelParser(registry: registry).parse(
    "data sine\n" + text, path: "m.txt", baseDirectory: "/models")
  return try PreparedModel(
    description, registry: registry, inputSize: 2, classNames: classes, targetCount: 1)
}

@Suite("PreparedModel")
struct PreparedModelTests {
  @Test(
    "the default loss is chosen from the data and the last layer's declared output",
    arguments: [
      (LayerOutputForm.distribution, true, 3, "nll"),
      (.values(0...1), true, 1, "binary_cross_entropy"),
      (.values(0...1), true, 3, "binary_cross_entropy"),
      (.values(-1...1), true, 1, "bce_with_logits"),
      (.values(-.infinity ... .infinity), true, 3, "cross_entropy"),
      (.values(0...6), true, 3, "cross_entropy"),
      (.distribution, false, 3, "mse"),
      (.values(0...1), false, 1, "mse"),
    ])
  func defaultLoss(form: LayerOutputForm, isClassifier: Bool, outputs: Int, loss: String) {
    #expect(
      PreparedModel.defaultLossName(outputForm: form, isClassifier: isClassifier, outputs: outputs)
        == loss)
  }

  @Test("an activation declaring outputs in [0, 1] counts as probabilities, whatever its name")
  func probabilityByDeclaration() throws {
    let model = try prepared("layer dense units=1 activation=squash")
    #expect(model.lossReference.name == "binary_cross_entropy" && model.usesDefaultLoss)
    #expect(model.lossPhrase == "the default loss 'binary_cross_entropy' (no `loss` line)")
    let error = #expect(throws: InputError.self) {
      try prepared("layer dense units=1 activation=squash\nloss bce_with_logits")
    }
    #expect(
      error?.message
        == "loss 'bce_with_logits' applies the sigmoid itself and expects raw scores (logits), but "
        + "the last layer outputs squash probabilities")
    #expect(error?.line == 3)
  }

  @Test("the default optimizer is adam with its defaults; a written one is kept")
  func defaultOptimizer() throws {
    let model = try prepared("layer dense units=1")
    #expect(model.usesDefaultOptimizer)
    #expect(
      model.optimizerReference.description
        == "adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, amsgrad=false)")
    let written = try prepared("layer dense units=1\noptimizer sgd lr=0.01")
    #expect(!written.usesDefaultOptimizer && written.optimizerReference.name == "sgd")
  }

  @Test("every declared requirement is checked: a user's full-batch optimizer too")
  func requirements() throws {
    let model = try prepared("layer dense units=1\noptimizer whole_batch_sgd\ntrain batch=16")
    let error = #expect(throws: InputError.self) {
      try model.checkOptimizerRequirements(trainingSamples: 17)
    }
    #expect(error?.file == "m.txt" && error?.line == 4)
    #expect(
      error?.message
        == "optimizer 'whole_batch_sgd' trains on the full batch only, but `train` option 'batch' "
        + "is 16 and the training set has 17 samples; expected batch=full (or batch ≥ 17)")
    try model.checkOptimizerRequirements(trainingSamples: 16)
    let full = try prepared("layer dense units=1\noptimizer whole_batch_sgd\ntrain batch=full")
    try full.checkOptimizerRequirements(trainingSamples: 1000)
  }

  @Test("no requirement, no check: sgd with mini-batches passes")
  func noRequirements() throws {
    try prepared("layer dense units=1\noptimizer sgd\ntrain batch=1")
      .checkOptimizerRequirements(trainingSamples: 1000)
  }
}
