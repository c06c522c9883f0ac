import Foundation
import NNCheckpoints
import NNPipeline
import NNTraining

/// Shows training progress: on a terminal one live line redrawn at most ten times a second; otherwise a
/// plain line every `logEvery` epochs (no control characters); nothing when quiet.
final class ProgressDisplay {
  private let console: Console
  private let quiet: Bool
  private let logEvery: Int
  private let totalEpochs: Int
  /// Training samples per epoch (known once the data is loaded).
  var samplesPerEpoch: Int
  private var lastDraw = ContinuousClock.now
  private var drewLine = false

  init(console: Console, quiet: Bool, logEvery: Int, totalEpochs: Int, samplesPerEpoch: Int) {
    self.console = console
    self.quiet = quiet
    self.logEvery = max(1, logEvery)
    self.totalEpochs = totalEpochs
    self.samplesPerEpoch = samplesPerEpoch
  }

  /// The line for `record`: epoch/total, loss, validation metric, samples/s, ETA.
  func line(_ record: EpochRecord, firstEpoch: Int) -> String {
    var parts = ["epoch \(record.epoch)/\(totalEpochs)", "loss \(formatMetric(record.loss))"]
    if let validationLoss = record.validationLoss {
      parts.append("val_loss \(formatMetric(validationLoss))")
    }
    if let accuracy = record.validationAccuracy {
      parts.append(String(format: "val_acc %.2f%%", accuracy * 100))
    }
    let epochsDone = record.epoch - firstEpoch
    if record.elapsed > 0, epochsDone > 0 {
      let rate = Double(epochsDone * samplesPerEpoch) / record.elapsed
      parts.append("\(formatCount(rate)) samples/s")
      let remaining = Double(totalEpochs - record.epoch) * record.elapsed / Double(epochsDone)
      parts.append("ETA \(formatDuration(remaining))")
    }
    return parts.joined(separator: "  ")
  }

  func update(_ record: EpochRecord, firstEpoch: Int) {
    guard !quiet else { return }
    if console.isTerminal {
      let now = ContinuousClock.now
      guard now - lastDraw >= .milliseconds(100) || record.epoch == totalEpochs else { return }
      lastDraw = now
      console.rawError("\r\u{1B}[2K" + line(record, firstEpoch: firstEpoch))
      drewLine = true
    } else if record.epoch % logEvery == 0 || record.epoch == totalEpochs
      || record.epoch == firstEpoch + 1
    {
      console.message(line(record, firstEpoch: firstEpoch))
    }
  }

  /// Ends the live line so later messages start on a fresh line.
  func finish() {
    if drewLine { console.rawError("\n") }
    drewLine = false
  }
}

/// A loss or metric with 4 significant digits, in scientific notation when small.
func formatMetric(_ value: Double) -> String {
  if value == 0 || (abs(value) >= 1e-3 && abs(value) < 1e5) {
    return String(format: "%.4g", value)
  }
  return String(format: "%.3e", value)
}

/// 12345 → "12.3k".
func formatCount(_ value: Double) -> String {
  switch value {
  case 1e6...: String(format: "%.2fM", value / 1e6)
  case 1e4...: String(format: "%.1fk", value / 1e3)
  default: String(format: "%.0f", value)
  }
}

/// Seconds → "1.2s", "3m05s", "2h10m".
func formatDuration(_ seconds: Double) -> String {
  guard seconds.isFinite, seconds >= 0 else { return "?" }
  if seconds < 60 { return String(format: "%.1fs", seconds) }
  let whole = Int(seconds.rounded())
  if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
  return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
}

/// A confusion matrix as a table: rows are the true classes, columns the predicted ones.
func confusionTable(_ confusion: [[Int]], classNames: [String]) -> String {
  let names = classNames.count == confusion.count ? classNames : confusion.indices.map(String.init)
  let width =
    max(6, (names.map(\.count).max() ?? 0), String(confusion.flatMap { $0 }.max() ?? 0).count) + 1
  func pad(_ text: String) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
  var lines = [pad("true\\pred") + names.map(pad).joined()]
  for (row, counts) in confusion.enumerated() {
    lines.append(pad(names[row]) + counts.map { pad(String($0)) }.joined())
  }
  return lines.joined(separator: "\n")
}

/// A minimal JSON writer for the `--json` summary (keys in a fixed order).
struct JSONObject {
  private var entries: [(String, String)] = []

  mutating func set(_ key: String, _ value: Double?) {
    guard let value else { return set(key, raw: "null") }
    set(key, raw: value.isFinite ? "\(value)" : "null")
  }
  mutating func set(_ key: String, _ value: Int) { set(key, raw: String(value)) }
  mutating func set(_ key: String, _ value: Bool) { set(key, raw: String(value)) }
  mutating func set(_ key: String, _ value: String?) {
    guard let value else { return set(key, raw: "null") }
    set(key, raw: jsonString(value))
  }
  mutating func set(_ key: String, object: JSONObject) { set(key, raw: object.text) }
  mutating func set(_ key: String, raw: String) {
    entries.removeAll { $0.0 == key }
    entries.append((key, raw))
  }

  var text: String {
    "{" + entries.map { "\(jsonString($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
  }
}

/// `text` as a JSON string literal (the escaping of the checkpoint's JSON writer).
func jsonString(_ text: String) -> String { JSONValue.quoted(text) }
