import NNProtocols
import Testing

@testable import NNModelLanguage

@Suite("ModelDescription settings as statement options")
struct ModelDescriptionOptionsTests {
  @Test("every setting survives the trip to options and back")
  func roundTrip() {
    let split = SplitSettings(validation: 0.3, test: 0.2, stratify: false, shuffle: false)
    #expect(SplitSettings(statementOptions: split.statementOptions) == split)
    let preprocess = PreprocessSettings(features: .minmax, targets: .standardize)
    #expect(PreprocessSettings(statementOptions: preprocess.statementOptions) == preprocess)
    for batch in [nil, 1, 64] as [Int?] {
      let training = TrainingSettings(
        epochs: 7, batchSize: batch, seed: 99, precision: .double, shuffle: false, clipNorm: 2,
        weightDecay: 0.5, threads: 3)
      #expect(TrainingSettings(statementOptions: training.statementOptions) == training)
    }
    let stopping = EarlyStoppingSettings(
      patience: 4, minDelta: 0.1, monitor: "loss", restoreBest: false)
    #expect(EarlyStoppingSettings(statementOptions: stopping.statementOptions) == stopping)
    for outputs in [
      OutputSettings(),
      OutputSettings(save: false),
      OutputSettings(
        checkpoint: "/c.safetensors", plotLoss: "/l.svg", plotFit: "/f.svg", plotRegions: "/r.svg",
        plotGradients: "/g.svg", predictions: "/p.csv"),
    ] {
      #expect(OutputSettings(statementOptions: outputs.statementOptions) == outputs)
    }
  }

  @Test("options follow the declaration order of the statement's keys")
  func order() {
    #expect(TrainingSettings().statementOptions.order == ModelStatement.trainOptions.map(\.name))
    #expect(SplitSettings().statementOptions.order == ModelStatement.splitOptions.map(\.name))
    #expect(OutputSettings().statementOptions.order == ModelStatement.outputOptions.map(\.name))
    #expect(
      EarlyStoppingSettings().statementOptions.order
        == ModelStatement.earlyStoppingOptions.map(\.name))
    #expect(
      PreprocessSettings().statementOptions.order == ModelStatement.preprocessOptions.map(\.name))
  }

  @Test("batch=full is a nil batch size; checkpoint words map to save and nil")
  func words() {
    #expect(TrainingSettings(batchSize: nil).statementOptions["batch"] == .text("full"))
    #expect(OutputSettings(save: false).statementOptions["checkpoint"] == .text("none"))
    #expect(OutputSettings().statementOptions["checkpoint"] == .text("auto"))
    #expect(OutputSettings().statementOptions["plot_fit"] == .text("none"))
  }
}
