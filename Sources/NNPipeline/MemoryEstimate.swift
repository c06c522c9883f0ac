import Foundation
import NNDatasets
import NNModelLanguage
import NNProtocols

/// The memory a training run needs, estimated from the model's sizes before anything is allocated,
/// so that a model too large for the machine is refused with numbers instead of crashing.
///
/// With `P` trainable scalars, `b` bytes per scalar (4 for `float`, 8 for `double`), `k` optimizer
/// state slots per parameter (0 for plain SGD, 1 with momentum, 2 for Adam), `B` rows per pass and,
/// for each layer `l`, `in_l` inputs and `out_l` outputs:
/// ```
/// weights          P·b
/// gradients        P·b
/// optimizer state  k·P·b
/// workspaces       B·b·Σ_l (3·out_l + in_l)     (Z, A, dZ and dX of a dense layer, an upper bound
///                                                for the others)
/// training data    n·(inputs + outputs)·b        (the samples converted to the run's precision)
/// ```
/// `B` is the batch size, but at least the 1024-row chunks (or all `n` samples, if fewer) that
/// evaluation runs through the network. Every product is computed in `Double`, so absurd sizes
/// (a 10⁹-unit layer after another) give a huge estimate, never an overflow.
///
/// See Also: `checkMemory(_:batchSize:samples:precision:physicalMemory:)`.
public struct MemoryEstimate: Sendable, Equatable {
  /// The number of trainable scalars `P` (saturating at `Int.max`).
  public var parameterCount: Int
  /// Bytes per scalar `b`.
  public var scalarBytes: Int
  /// Bytes of the weights, `P·b`.
  public var parameters: Double
  /// Bytes of their gradients, `P·b`.
  public var gradients: Double
  /// Bytes of the optimizer's state, `k·P·b`.
  public var optimizerState: Double
  /// Bytes of the layers' workspaces for `rows` rows per pass.
  public var workspaces: Double
  /// The rows per pass `B` the workspaces are sized for.
  public var rows: Int
  /// Bytes of the training data in the run's precision.
  public var data: Double

  /// The whole estimate, in bytes.
  public var total: Double { parameters + gradients + optimizerState + workspaces + data }

  /// Estimates a run of `model` on `samples` samples in batches of `batchSize` (`nil`: full batch)
  /// in `precision`.
  public init(_ model: PreparedModel, batchSize: Int?, samples: Int, precision: Precision) {
    scalarBytes = precision == .float ? 4 : 8
    let b = Double(scalarBytes)
    parameterCount = model.parameterCount
    let p = model.summary.reduce(0.0) { $0 + Double($1.parameterCount) }
    parameters = p * b
    gradients = p * b
    optimizerState = Double(model.optimizer.stateSlots.count) * p * b
    let samples = max(samples, 0)
    rows = max(batchSize ?? samples, min(samples, 1024), 1)
    var width = 0.0
    var inputs = Double(model.inputSize)
    for layer in model.summary {
      let outputs = Double(layer.outputShape.reduce(1, *))
      width += 3 * outputs + inputs
      inputs = outputs
    }
    workspaces = Double(rows) * b * width
    data = Double(samples) * (Double(model.inputSize) + Double(model.outputSize)) * b
  }
}

/// Refuses a run whose estimated memory (see `MemoryEstimate`) exceeds the machine's physical memory,
/// before anything is allocated.
///
/// - Parameters:
///   - model: the prepared model (its sizes are known, nothing is allocated yet).
///   - batchSize: rows per training step; `nil` for full-batch training.
///   - samples: the number of training samples.
///   - precision: the run's precision.
///   - physicalMemory: the memory to compare with; default: this machine's
///     (`ProcessInfo.processInfo.physicalMemory`).
/// - Throws: `InputError` naming the model file, e.g. `the model needs about 44.7 GiB (3 000 000 001
///   parameters in float: 11.2 GiB of weights, 11.2 GiB of gradients, …) but this machine has
///   23.4 GiB`, with a hint on what to reduce.
public func checkMemory(
  _ model: PreparedModel, batchSize: Int?, samples: Int, precision: Precision,
  physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory
) throws {
  let estimate = MemoryEstimate(
    model, batchSize: batchSize, samples: samples, precision: precision)
  guard estimate.total > Double(physicalMemory) else { return }
  var parts = [
    "\(formatBytes(estimate.parameters)) of weights",
    "\(formatBytes(estimate.gradients)) of gradients",
  ]
  if estimate.optimizerState > 0 {
    parts.append(
      "\(formatBytes(estimate.optimizerState)) of \(model.optimizerReference.name) state")
  }
  parts.append(
    "\(formatBytes(estimate.workspaces)) of workspaces for \(estimate.rows) rows at a time")
  parts.append("\(formatBytes(estimate.data)) of training data")
  let count =
    estimate.parameterCount == Int.max
    ? "more than \(groupedDigits(Int.max))" : groupedDigits(estimate.parameterCount)
  var hints = ["use fewer or smaller layers"]
  if estimate.workspaces > estimate.parameters { hints.append("a smaller batch (train batch=N)") }
  if precision == .double { hints.append("precision=float (half the memory)") }
  throw InputError(
    file: model.description.sourcePath,
    "the model needs about \(formatBytes(estimate.total)) of memory (\(count) parameters in "
      + "\(precision.rawValue): \(parts.joined(separator: ", "))) but this machine has "
      + formatBytes(Double(physicalMemory)),
    hint: hints.joined(separator: ", or "))
}

/// The memory preparing a generated data set takes, estimated from the generator's settings before
/// anything is generated (see `ComponentRegistry.generatedShape(_:context:)`).
///
/// With `n` samples of `f` features and `t` target columns, in double precision (8 bytes):
/// ```
/// data  3·n·(f + t)·8      the generated set, its split parts, and their scaled copies
/// ```
/// (`PreparedData` holds all three at once while it splits and scales; the run's own copy in its
/// precision is part of `MemoryEstimate.data`.) Computed in `Double`, so it never overflows.
public struct DataMemoryEstimate: Sendable, Equatable {
  /// The copies of the data held at once while it is prepared.
  public static let copies = 3

  /// The data set's shape.
  public var shape: GeneratedShape
  /// The bytes, `3·n·(f + t)·8`.
  public var total: Double { Double(Self.copies) * shape.bytes }

  /// The estimate for a data set of `shape`.
  public init(_ shape: GeneratedShape) {
    self.shape = shape
  }
}

/// Refuses a `data` statement whose generator would make more data than the machine's memory holds
/// (see `DataMemoryEstimate`), before anything is generated. File readers are not checked here: a
/// file bounds what they read.
///
/// - Parameters:
///   - description: the model; its `data` statement names the data set.
///   - registry: the registry the data set is made from.
///   - physicalMemory: the memory to compare with; default: this machine's.
/// - Throws: `InputError` at the `data` statement's line, e.g. `the data set 'sine' needs about
///   4.4 TiB of memory (100 000 000 000 samples × 2 columns × 8 bytes, 3 copies while it is split and
///   scaled) but this machine has 23.4 GiB`; or the generator's own error for invalid settings.
public func checkDataMemory(
  _ description: ModelDescription, registry: ComponentRegistry,
  physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory
) throws {
  let context = DatasetContext(
    baseDirectory: description.baseDirectory, seed: description.training.seed)
  let shape: GeneratedShape?
  do {
    shape = try registry.generatedShape(description.data, context: context)
  } catch var error as InputError {
    if error.file == nil, error.line == nil {
      error.file = description.sourcePath
      error.line = description.statementLines["data"]
    }
    throw error
  }
  guard let shape else { return }
  let estimate = DataMemoryEstimate(shape)
  guard estimate.total > Double(physicalMemory) else { return }
  // A saturated count (`Int.max`) stands for "more than that": the estimate is then a lower bound.
  func counted(_ number: Int) -> String {
    number == Int.max ? "more than \(groupedDigits(Int.max))" : groupedDigits(number)
  }
  let (columns, overflow) = shape.inputs.addingReportingOverflow(shape.targets)
  let saturated = shape.samples == Int.max || overflow
  throw description.error(
    at: "data",
    "the data set '\(description.data.name)' needs \(saturated ? "more than" : "about") "
      + "\(formatBytes(estimate.total)) of memory (\(counted(shape.samples)) samples × "
      + "\(counted(overflow ? Int.max : columns)) columns × 8 bytes, "
      + "\(DataMemoryEstimate.copies) copies while it is split and scaled) but this machine has "
      + formatBytes(Double(physicalMemory)),
    hint: "ask the generator for fewer samples")
}

/// `bytes` in binary units with one decimal: `512 B`, `3.5 KiB`, `11.2 GiB`, `7.3 PiB`.
func formatBytes(_ bytes: Double) -> String {
  let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
  var value = bytes
  var unit = 0
  while value >= 1024, unit < units.count - 1 {
    value /= 1024
    unit += 1
  }
  return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f", value) + " " + units[unit]
}

/// `3000000001` as `3 000 000 001`: digits in groups of three, as the tutorials write large counts.
func groupedDigits(_ number: Int) -> String {
  let digits = Array(String(number))
  var result = ""
  for (index, digit) in digits.enumerated() {
    if index > 0, (digits.count - index) % 3 == 0 { result.append(" ") }
    result.append(digit)
  }
  return result
}
