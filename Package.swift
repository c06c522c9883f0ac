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
    .library(name: "NNTraining", targets: ["NNTraining"]),
    .library(name: "NNPipeline", targets: ["NNPipeline"]),
    .library(name: "NNCommandLine", targets: ["NNCommandLine"]),
    .library(name: "NNTestSupport", targets: ["NNTestSupport"]),
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
    // Training: the reference step (the tutorial), the fused and sharded steps, the step planner,
    // the trainer, metrics and the gradient checker.
    .target(
      name: "NNTraining",
      dependencies: ["NNKernels", "NNProtocols", "NNLayers", "NNOptimizers"]),
    .target(
      name: "NNPipeline",
      dependencies: [
        "NNKernels", "NNProtocols", "NNActivations", "NNLayers", "NNLosses", "NNOptimizers",
        "NNDatasets", "NNTraining",
      ]),
    .target(
      name: "NNCommandLine",
      dependencies: ["NNKernels", "NNPipeline", "NNProtocols", "NNTraining"]),
    .target(name: "NNTestSupport", dependencies: ["NNProtocols", "NNTraining"]),
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
        "NNDatasets", "NNTraining", "NNPipeline", "NNTestSupport",
      ]),
    .testTarget(
      name: "NNPipelineTests", dependencies: ["NNPipeline", "NNTraining", "NNTestSupport"]),
    .testTarget(
      name: "NNCommandLineTests",
      dependencies: ["NNCommandLine", "NNTraining", "NNTestSupport", .target(name: "nnpipe")]),
  ],
  swiftLanguageModes: [.v6]
)
