// swift-tools-version:6.0
// A program that is nnpipe plus two activations of its own, and the tests that check them.
// It depends on nnpipe by path; a package elsewhere would use `.package(url: …, from: …)`.
// `name: "nnpipe"` lets the products below say `package: "nnpipe"` whatever the checkout's folder is
// called (a path dependency is otherwise known by its folder's name).

import PackageDescription

let package = Package(
  name: "CustomActivation",
  products: [
    .executable(name: "my-nnpipe", targets: ["my-nnpipe"]),
    .library(name: "MyActivations", targets: ["MyActivations"]),
  ],
  dependencies: [
    .package(name: "nnpipe", path: "../..")
  ],
  targets: [
    // The activations and the one function that registers them.
    .target(
      name: "MyActivations",
      dependencies: [.product(name: "NNProtocols", package: "nnpipe")]),
    // nnpipe's command line, with the activations registered.
    .executableTarget(
      name: "my-nnpipe",
      dependencies: [
        "MyActivations",
        .product(name: "NNCommandLine", package: "nnpipe"),
        .product(name: "NNPipeline", package: "nnpipe"),
        .product(name: "NNProtocols", package: "nnpipe"),
      ]),
    // Derivatives against finite differences, options, registration, the model file, checkpoints.
    .testTarget(
      name: "MyActivationsTests",
      dependencies: [
        "MyActivations",
        "my-nnpipe",  // built first, so the tests can run the program itself
        .product(name: "NNCommandLine", package: "nnpipe"),
        .product(name: "NNModelLanguage", package: "nnpipe"),
        .product(name: "NNPipeline", package: "nnpipe"),
        .product(name: "NNProtocols", package: "nnpipe"),
        .product(name: "NNTestSupport", package: "nnpipe"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
