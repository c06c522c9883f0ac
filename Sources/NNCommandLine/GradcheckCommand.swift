import Foundation
import NNPipeline

/// `nnpipe gradcheck MODEL`
let gradcheckCommand = Command(
  name: "gradcheck",
  abstract: "Compare back-propagation with finite differences for every parameter tensor.",
  discussion: """
    Builds the network in double precision, computes the gradient of the model's loss on a few \
    training samples by back-propagation, and compares each element with the central difference \
    (L(θ+h) − L(θ−h)) / 2h. Prints the largest relative error of each tensor; exits with status 1 \
    if any exceeds the tolerance.
    """,
  arguments: modelArguments + [
    ArgumentSpec(
      "samples", .option(valueName: "n", repeatable: false),
      help: "Samples to check on (default 8)."),
    ArgumentSpec(
      "tolerance", .option(valueName: "x", repeatable: false),
      help: "The largest acceptable relative error (default 1e-5)."),
  ]
) { arguments, context in
  let description = try parseModel(arguments, registry: context.registry)
  let samples = try arguments.integer("samples", in: 1...100_000) ?? 8
  var tolerance = 1e-5
  if let text = arguments.option("tolerance") {
    guard let value = Double(text), value > 0, value.isFinite else {
      throw UsageError("invalid value '\(text)' for '--tolerance': expected a positive number")
    }
    tolerance = value
  }
  let report = try ModelRunner(registry: context.registry).gradientCheck(
    description, samples: samples)
  let width = max(9, report.entries.map(\.name.count).max() ?? 0)
  context.console.print(
    "parameter".padding(toLength: width, withPad: " ", startingAt: 0) + "  max relative error")
  for entry in report.entries {
    let verdict = entry.maxError <= tolerance ? "ok" : "FAIL"
    context.console.print(
      entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
        + "  " + String(format: "%.3e", entry.maxError) + "  " + verdict)
  }
  let passed = report.maxError <= tolerance
  context.console.print(
    passed
      ? "all gradients match (tolerance \(tolerance))"
      : "gradient check failed: largest error \(String(format: "%.3e", report.maxError)) > \(tolerance)"
  )
  return passed ? ExitStatus.success : ExitStatus.failure
}
