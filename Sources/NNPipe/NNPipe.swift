// NNPipe: the one module a Swift program imports to use nnpipe as a library.
//
//     import NNPipe
//
// It holds no code of its own: it re-exports the library modules below, so their public types
// (`ModelDescription`, `TrainedModel`, `Dataset`, `Matrix`, `Network`, `Dense`, `Sigmoid`, `Adam`, `Checkpoint`, …) are all in
// scope after that one line. Documentation/SwiftAPI.md walks through training, evaluating,
// predicting and saving a model in code.
//
// The modules re-exported, from the lowest to the highest:
//
// - NNKernels      matrix products and elementwise kernels (thread count, kernel selection)
// - NNProtocols    the contracts: Matrix, Layer, Activation, Loss, Optimizer, Dataset, the registry,
//                  InputError
// - NNActivations  the built-in activations (Sigmoid, Tanh, ReLU, …)
// - NNLayers       Dense, Dropout, Softmax, their builders, Network
// - NNLosses       the built-in losses (MeanSquaredError, BinaryCrossEntropy, …)
// - NNOptimizers   the built-in optimizers and learning-rate schedules (SGD, Adam, …)
// - NNDatasets     CSV/FANN/IDX readers, the generators (sine, xor, …), preprocessing
// - NNModelLanguage  the model text: lexer, parser, printer, `ModelDescription`
// - NNTraining     the reference, fused and sharded steps, the step planner, the trainer, metrics,
//                  the gradient checker
// - NNCheckpoints  safetensors checkpoints (`Checkpoint`), JSON, atomic file writes
// - NNONNX         ONNX export
// - NNPlots        SVG plots
// - NNPipeline     orchestration: `ModelRunner`, `PreparedModel`, `TrainedModel`, resuming, the
//                  output guard, and the code-first additions (`ModelDescription(data:layers:…)`,
//                  `ModelRunner.train`, `TrainedModel.save`)
//
// Not re-exported: NNCommandLine (the `nnpipe` program's commands; import it to build a program
// like `my-nnpipe` in Examples/CustomActivation), NNTestSupport (gradient checks for tests) and
// CNNKernels (the C behind NNKernels).
//
// A new library module is added here, so `import NNPipe` keeps giving all of them.

@_exported import NNActivations
@_exported import NNCheckpoints
@_exported import NNDatasets
@_exported import NNKernels
@_exported import NNLayers
@_exported import NNLosses
@_exported import NNModelLanguage
@_exported import NNONNX
@_exported import NNOptimizers
@_exported import NNPipeline
@_exported import NNPlots
@_exported import NNProtocols
@_exported import NNTraining
