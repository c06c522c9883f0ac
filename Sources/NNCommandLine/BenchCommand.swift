import Foundation
import NNPipeline

/// The arguments of `nnpipe bench` besides `--threads`.
enum BenchArguments {
  static let only = Argument.repeatable(
    "only", valueName: "id", help: "Run only this workload (W1…W6; repeatable).",
    each: workloadID)
  static let json = Argument.flag("json", help: "Print one JSON object keyed by workload id.")
  static let data = Argument.option(
    "data", valueName: "dir",
    help: "The folder holding digits.csv (default: the repository's Data folder).")
}

/// `nnpipe bench`
let benchCommand = Command(
  name: "bench",
  abstract: "Run the benchmark workloads W1–W6 and print their figures.",
  discussion: """
    W1 sine (the first tutorial), W2 xnor (the second), W3 a 784-256-128-10 MLP epoch, W4 float32 \
    matrix products, W5 the digits classifier, W6 reading IDX and CSV files. Compare with the peers' scripts run on the same \
    machine in the same session: absolute times drift with load.
    """,
  arguments: [
    BenchArguments.only,
    BenchArguments.json,
    BenchArguments.data,
    threadsArgument,
    stepArgument,
  ]
) { arguments, context in
  let ids = arguments[BenchArguments.only].isEmpty ? Benchmarks.ids : arguments[BenchArguments.only]
  let directory = arguments[BenchArguments.data] ?? defaultDataDirectory()
  let benchmarks = Benchmarks(
    registry: context.registry, dataDirectory: directory, threads: arguments[threadsArgument],
    step: try stepOption(arguments)?.kind)
  var json = JSONObject()
  for id in ids {
    let result = try benchmarks.run(id)
    let figures = result.figures.map { "\($0.name)=\(formatFigure($0.value))" }.joined(
      separator: "  ")
    context.console.message(
      "\(result.id)  \(result.title)\n    \(figures)\n    (\(result.meaning))")
    var object = JSONObject()
    for (name, value) in result.figures { object.set(name, value) }
    json.set(result.id, object: object)
  }
  if arguments[BenchArguments.json] { context.console.print(json.text) }
  return ExitStatus.success
}

/// A `--only` value as a workload id (`w2` is `W2`), or a usage error listing the ids.
@Sendable private func workloadID(_ text: String) throws -> String {
  let id = text.uppercased()
  guard Benchmarks.ids.contains(id) else {
    throw UsageError(
      "unknown workload '\(id)'; expected one of: \(Benchmarks.ids.joined(separator: ", "))")
  }
  return id
}

private func formatFigure(_ value: Double) -> String {
  abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.4g", value)
}

/// `Data/` of the repository: found from the current folder or the executable's, walking up.
func defaultDataDirectory() -> String {
  let starts = [
    FileManager.default.currentDirectoryPath,
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path,
  ]
  for start in starts {
    var folder = URL(fileURLWithPath: start)
    for _ in 0..<6 {
      let candidate = folder.appendingPathComponent("Data/digits.csv").path
      if FileManager.default.fileExists(atPath: candidate) {
        return folder.appendingPathComponent("Data").path
      }
      folder.deleteLastPathComponent()
    }
  }
  return "Data"
}
