// swift-tools-version:6.0
// nnpipe: build, train, check and use feed-forward neural networks.
// No package dependencies: every module below is part of this package.

import PackageDescription

let package = Package(
  name: "nnpipe",
  products: [
    .executable(name: "nnpipe", targets: ["nnpipe"]),
    .library(name: "CNNKernels", targets: ["CNNKernels"]),
    .library(name: "NNKernels", targets: ["NNKernels"]),
    .library(name: "NNProtocols", targets: ["NNProtocols"]),
    .library(name: "NNActivations", targets: ["NNActivations"]),
    .library(name: "NNLayers", targets: ["NNLayers"]),
    .library(name: "NNLosses", targets: ["NNLosses"]),
    .library(name: "NNOptimizers", targets: ["NNOptimizers"]),
    .library(name: "NNDatasets", targets: ["NNDatasets"]),
    .library(name: "NNModelLanguage", targets: ["NNModelLanguage"]),
    .library(name: "NNCheckpoints", targets: ["NNCheckpoints"]),
    .library(name: "NNONNX", targets: ["NNONNX"]),
    .library(name: "NNPlots", targets: ["NNPlots"]),
    .library(name: "NNTraining", targets: ["NNTraining"]),
    .library(name: "NNPipeline", targets: ["NNPipeline"]),
    .library(name: "NNCommandLine", targets: ["NNCommandLine"]),
    // The one import a Swift program needs: `import NNPipe` (see Documentation/SwiftAPI.md).
    .library(name: "NNPipe", targets: ["NNPipe"]),
    .library(name: "NNTestSupport", targets: ["NNTestSupport"]),
    .library(name: "NNONNXTestSupport", targets: ["NNONNXTestSupport"]),
  ],
  targets: [
    // Matrix products and elementwise kernels in C, so that AVX2+FMA code can be selected per function
    // at run time without unsafe compiler flags.
    .target(name: "CNNKernels"),
    .target(name: "NNKernels", dependencies: ["CNNKernels"]),
    .target(name: "NNProtocols", dependencies: ["NNKernels"]),
    .target(name: "NNActivations", dependencies: ["NNProtocols"]),
    .target(name: "NNLayers", dependencies: ["NNKernels", "NNProtocols", "NNActivations"]),
    .target(name: "NNLosses", dependencies: ["NNProtocols"]),
    .target(name: "NNOptimizers", dependencies: ["NNProtocols"]),
    .target(name: "NNDatasets", dependencies: ["NNProtocols"]),
    // The model language: text → tokens → statements → a resolved `ModelDescription`, and back to
    // text. NNKernels only for the thread limit `train threads=` is checked against.
    .target(name: "NNModelLanguage", dependencies: ["NNKernels", "NNProtocols"]),
    // Files nnpipe writes and reads back: safetensors, JSON, atomic writes, and the checkpoint of a
    // run. NNTraining for what a checkpoint stores of a run (its history, early stopping's state).
    .target(name: "NNCheckpoints", dependencies: ["NNProtocols", "NNTraining"]),
    // ONNX export: a network's description → ONNX protobuf bytes, written atomically.
    .target(name: "NNONNX", dependencies: ["NNProtocols", "NNCheckpoints"]),
    // SVG plots of numbers: no networks, no models.
    .target(name: "NNPlots"),
    // Training: the reference step (the tutorial), the fused and sharded steps, the step planner,
    // the trainer, metrics and the gradient checker.
    .target(
      name: "NNTraining",
      dependencies: ["NNKernels", "NNProtocols", "NNLayers", "NNOptimizers"]),
    // Orchestration: prepare a run from a description, train, evaluate, predict, export.
    .target(
      name: "NNPipeline",
      dependencies: [
        "NNKernels", "NNProtocols", "NNActivations", "NNLayers", "NNLosses", "NNOptimizers",
        "NNDatasets", "NNModelLanguage", "NNCheckpoints", "NNONNX", "NNPlots", "NNTraining",
      ]),
    .target(
      name: "NNCommandLine",
      dependencies: [
        "NNKernels", "NNProtocols", "NNDatasets", "NNModelLanguage", "NNCheckpoints", "NNONNX",
        "NNPipeline", "NNTraining",
      ]),
    .target(name: "NNTestSupport", dependencies: ["NNProtocols", "NNTraining"]),
    // The umbrella: re-exports the library modules, so `import NNPipe` is the only import needed.
    .target(
      name: "NNPipe",
      dependencies: [
        "NNKernels", "NNProtocols", "NNActivations", "NNLayers", "NNLosses", "NNOptimizers",
        "NNDatasets", "NNModelLanguage", "NNCheckpoints", "NNONNX", "NNPlots", "NNTraining",
        "NNPipeline",
      ]),
    // Test support: reads ONNX files back and evaluates them, to check the exporter (the command
    // line never imports it).
    .target(name: "NNONNXTestSupport", dependencies: ["NNProtocols", "NNONNX"]),
    .executableTarget(name: "nnpipe", dependencies: ["NNCommandLine"]),

    .testTarget(
      name: "NNKernelsTests", dependencies: ["NNKernels", "NNProtocols", "NNTestSupport"]),
    .testTarget(name: "NNProtocolsTests", dependencies: ["NNProtocols", "NNTestSupport"]),
    .testTarget(name: "NNActivationsTests", dependencies: ["NNActivations", "NNTestSupport"]),
    .testTarget(
      name: "NNLayersTests",
      dependencies: ["NNKernels", "NNLayers", "NNActivations", "NNLosses", "NNTestSupport"]),
    .testTarget(name: "NNLossesTests", dependencies: ["NNLosses", "NNTestSupport"]),
    .testTarget(name: "NNOptimizersTests", dependencies: ["NNOptimizers", "NNTestSupport"]),
    .testTarget(name: "NNDatasetsTests", dependencies: ["NNDatasets", "NNTestSupport"]),
    .testTarget(
      name: "NNTrainingTests",
      dependencies: [
        "NNKernels", "NNProtocols", "NNActivations", "NNLayers", "NNLosses", "NNOptimizers",
        "NNDatasets", "NNTraining", "NNPipeline", "NNModelLanguage", "NNCheckpoints",
        "NNTestSupport",
      ]),
    .testTarget(
      name: "NNModelLanguageTests",
      dependencies: ["NNModelLanguage", "NNProtocols"]),
    .testTarget(
      name: "NNCheckpointsTests",
      dependencies: ["NNCheckpoints", "NNProtocols", "NNTraining", "NNTestSupport"]),
    .testTarget(
      name: "NNONNXTests",
      dependencies: [
        "NNONNX", "NNONNXTestSupport", "NNActivations", "NNCheckpoints", "NNLosses", "NNProtocols",
        "NNTestSupport",
      ]),
    .testTarget(name: "NNPlotsTests", dependencies: ["NNPlots"]),
    .testTarget(
      name: "NNPipelineTests",
      dependencies: [
        "NNPipeline", "NNTraining", "NNModelLanguage", "NNCheckpoints", "NNONNX", "NNPlots",
        "NNProtocols",
        "NNActivations", "NNDatasets", "NNLayers", "NNLosses", "NNOptimizers", "NNTestSupport",
      ]),
    .testTarget(
      name: "NNCommandLineTests",
      dependencies: [
        "NNCommandLine", "NNKernels", "NNPipe", "NNPipeline", "NNProtocols", "NNONNX", "NNTraining",
        "NNONNXTestSupport", "NNTestSupport", .target(name: "nnpipe"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
