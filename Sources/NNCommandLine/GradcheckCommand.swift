import Foundation
import NNPipeline
import NNTraining

/// The arguments of `nnpipe gradcheck` besides `modelArguments`.
enum GradcheckArguments {
  static let samples = Argument.integer(
    "samples", in: 1...100_000, help: "Samples to check on (default 8).")
  static let tolerance = Argument.positiveReal(
    "tolerance", valueName: "rtol", help: "The relative tolerance rtol (default 1e-6).")
  static let atol = Argument.positiveReal(
    "atol", valueName: "atol",
    help: "The absolute tolerance atol, for derivatives near 0 (default 1e-10).")
  static let json = Argument.flag(
    "json", help: "Print one JSON object with the results on standard output.")
}

/// `nnpipe gradcheck MODEL`
let gradcheckCommand = Command(
  name: "gradcheck",
  abstract: "Compare back-propagation with finite differences for every parameter tensor.",
  discussion: """
    Builds the network in double precision, computes the gradient of the model's loss on a few \
    training samples by back-propagation, and compares each element a with a numerical derivative n: \
    central differences at a step h = 7.4e-4·max(1, |θ|) and h/2, extrapolated to O(h⁴). An element \
    passes when |a − n| ≤ atol + rtol·max(|a|, |n|) (plus the differences' rounding error, about \
    5e-12·|loss|); --tolerance sets rtol, --atol sets atol. Prints, per tensor, the worst element (its \
    [row, column], a, n and |a − n|) and a verdict; exits with status 1 if any element fails. \
    Elements where the loss has a kink within the step (a ReLU input at 0) are skipped and counted, \
    and tensors that reach the loss through an activation without a derivative (sign, step) are \
    reported as not differentiable and skipped.
    """,
  arguments: modelArguments + [
    GradcheckArguments.samples,
    GradcheckArguments.tolerance,
    GradcheckArguments.atol,
    GradcheckArguments.json,
  ]
) { arguments, context in
  let description = try parseModel(arguments, registry: context.registry)
  let samples = arguments[GradcheckArguments.samples] ?? 8
  var checker = GradientChecker()
  if let value = arguments[GradcheckArguments.tolerance] { checker.relativeTolerance = value }
  if let value = arguments[GradcheckArguments.atol] { checker.absoluteTolerance = value }
  let report = try ModelRunner(registry: context.registry).gradientCheck(
    description, samples: samples, checker: checker)
  if arguments[GradcheckArguments.json] {
    context.console.print(gradcheckJSON(report, checker: checker, samples: samples).text)
  } else {
    context.console.print(gradcheckText(report, checker: checker))
  }
  return report.passed ? ExitStatus.success : ExitStatus.failure
}

/// A tensor's verdict, in words.
private func verdict(_ entry: TensorGradientCheck) -> String {
  if let activation = entry.notDifferentiableThrough {
    return "not differentiable (\(activation)), skipped"
  }
  if entry.kinks > 0 && entry.kinks == entry.checked {
    return "every element at a kink, skipped"
  }
  var text = entry.passed ? "ok" : "FAIL (\(entry.failures) of \(entry.checked))"
  if entry.kinks > 0 { text += ", \(entry.kinks) at a kink, skipped" }
  return text
}

/// The table printed by `nnpipe gradcheck`.
func gradcheckText(_ report: GradientReport, checker: GradientChecker) -> String {
  func pad(_ text: String, _ width: Int) -> String {
    text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
  }
  func number(_ value: Double) -> String { String(format: "%.6e", value) }
  func short(_ value: Double) -> String { String(format: "%.1e", value) }
  let rows: [[String]] = report.entries.map { entry in
    guard entry.notDifferentiableThrough == nil, let worst = entry.worst else {
      return [entry.name, "", "", "", "", verdict(entry)]
    }
    let (row, column) = entry.position(worst.index)
    return [
      entry.name, "[\(row), \(column)]", number(worst.analytic), number(worst.numerical),
      short(worst.error), verdict(entry),
    ]
  }
  let header = ["parameter", "worst", "analytic", "numerical", "|error|", "verdict"]
  let widths = header.indices.map { column in
    ([header] + rows).map { $0[column].count }.max() ?? 0
  }
  func line(_ cells: [String]) -> String {
    zip(cells, widths).map { pad($0, $1) }.joined(separator: "  ")
      .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
  }
  var lines = [line(header)] + rows.map(line)
  let criterion =
    "|a − n| ≤ \(short(checker.absoluteTolerance)) + \(short(checker.relativeTolerance))·max(|a|, |n|)"
  let skipped = report.entries.compactMap(\.notDifferentiableThrough)
  if !skipped.isEmpty {
    let names = Set(skipped).sorted().joined(separator: ", ")
    lines.append(
      "note: \(skipped.count) of \(report.entries.count) tensors reach the loss through an activation "
        + "without a derivative (\(names)) and were not checked")
  }
  let kinks = report.entries.reduce(0) { $0 + $1.kinks }
  if kinks > 0 {
    lines.append(
      "note: \(kinks) elements had a kink of the loss within every step tried and were skipped")
  }
  if !report.passed {
    let failed = report.entries.filter { !$0.passed }.map(\.name).joined(separator: ", ")
    lines.append("gradient check failed: \(failed) (\(criterion))")
  } else if skipped.count == report.entries.count {
    lines.append("nothing to check: no tensor has a derivative")
  } else {
    lines.append(
      (skipped.isEmpty && kinks == 0 ? "all gradients match" : "all checked gradients match")
        + " (\(criterion))")
  }
  return lines.joined(separator: "\n")
}

/// The `--json` object of `nnpipe gradcheck`.
func gradcheckJSON(_ report: GradientReport, checker: GradientChecker, samples: Int) -> JSONObject {
  var object = JSONObject()
  object.set("passed", report.passed)
  object.set("samples", samples)
  object.set("rtol", checker.relativeTolerance)
  object.set("atol", checker.absoluteTolerance)
  object.set("relative_step", checker.relativeStep)
  let tensors = report.entries.map { entry in
    var tensor = JSONObject()
    tensor.set("name", entry.name)
    tensor.set("shape", raw: "[\(entry.rows), \(entry.cols)]")
    if let activation = entry.notDifferentiableThrough {
      tensor.set("status", "not_differentiable")
      tensor.set("activation", activation)
      return tensor.text
    }
    tensor.set("status", entry.passed ? "ok" : "fail")
    tensor.set("checked", entry.checked)
    tensor.set("failures", entry.failures)
    tensor.set("kinks", entry.kinks)
    if let worst = entry.worst {
      var element = JSONObject()
      let (row, column) = entry.position(worst.index)
      element.set("index", raw: "[\(row), \(column)]")
      element.set("analytic", worst.analytic)
      element.set("numerical", worst.numerical)
      element.set("error", worst.error)
      element.set("allowed", worst.allowed)
      tensor.set("worst", object: element)
    }
    return tensor.text
  }
  object.set("tensors", raw: "[" + tensors.joined(separator: ", ") + "]")
  return object
}
