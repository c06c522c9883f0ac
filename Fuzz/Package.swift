// swift-tools-version:6.0
// libFuzzer harnesses for every reader of outside bytes in nnpipe.
//
// A separate package, so that the main Package.swift carries no fuzzer flags. Build and run with
// `Fuzz/run.sh SECONDS [HARNESS…]`, which passes `-sanitize=fuzzer,address` and `-parse-as-library`.

import PackageDescription

let package = Package(
  name: "nnpipe-fuzz",
  dependencies: [.package(name: "nnpipe", path: "..")],
  targets: [
    // libFuzzer's driver, called from each harness's entry point.
    .target(name: "CFuzzerDriver"),
    // What every harness shares: the accepted outcomes, scratch files.
    .target(name: "FuzzSupport", dependencies: [.product(name: "NNProtocols", package: "nnpipe")]),
    .executableTarget(
      name: "FuzzModelParser",
      dependencies: [
        "CFuzzerDriver", "FuzzSupport", .product(name: "NNModelLanguage", package: "nnpipe"),
        .product(name: "NNPipeline", package: "nnpipe"),
        .product(name: "NNProtocols", package: "nnpipe"),
      ]),
    .executableTarget(
      name: "FuzzCSV",
      dependencies: [
        "CFuzzerDriver", "FuzzSupport", .product(name: "NNDatasets", package: "nnpipe"),
      ]),
    .executableTarget(
      name: "FuzzIDX",
      dependencies: [
        "CFuzzerDriver", "FuzzSupport", .product(name: "NNDatasets", package: "nnpipe"),
      ]),
    .executableTarget(
      name: "FuzzSafetensors",
      dependencies: [
        "CFuzzerDriver", "FuzzSupport", .product(name: "NNCheckpoints", package: "nnpipe"),
        .product(name: "NNPipeline", package: "nnpipe"),
        .product(name: "NNProtocols", package: "nnpipe"),
      ]),
    .executableTarget(
      name: "FuzzOutputGuard",
      dependencies: [
        "CFuzzerDriver", "FuzzSupport", .product(name: "NNCheckpoints", package: "nnpipe"),
        .product(name: "NNModelLanguage", package: "nnpipe"),
        .product(name: "NNPipeline", package: "nnpipe"),
        .product(name: "NNPlots", package: "nnpipe"),
        .product(name: "NNProtocols", package: "nnpipe"),
      ]),
    .executableTarget(
      name: "FuzzResume",
      dependencies: [
        "CFuzzerDriver", "FuzzSupport", .product(name: "NNCheckpoints", package: "nnpipe"),
        .product(name: "NNModelLanguage", package: "nnpipe"),
        .product(name: "NNPipeline", package: "nnpipe"),
        .product(name: "NNProtocols", package: "nnpipe"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
