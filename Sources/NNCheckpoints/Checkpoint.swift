import NNProtocols
import NNTraining

/// A trained network saved to disk: its parameters, its optimizer state and the metadata needed to
/// predict with it or resume its run, as a safetensors file.
///
/// Tensor names are the parameter paths (`layers.0.weight` shaped `[outputs, inputs]`,
/// `layers.0.bias` shaped `[outputs]`, as `torch.nn.Linear` stores them, although a bias is a
/// `[1, outputs]` matrix in memory); each optimizer state tensor is `optimizer.<path>.<slot>`
/// (`optimizer.layers.0.weight.velocity`), shaped like its parameter; early stopping's best parameters
/// are `early_stopping.<path>`; the per-epoch history is `history.loss` and `history.val_loss`
/// (float64, see `TrainingHistory`). Elements are `F32` for a
/// `Float` run and `F64` for a `Double` run, stored bit for bit, so a resumed run continues exactly.
///
/// ```swift
/// let checkpoint = Checkpoint(
///   parameters: network.namedParameters, optimizer: optimizer, optimizerState: state,
///   metadata: CheckpointMetadata(nnpipeVersion: "1.0.0", model: resolvedText, epoch: 12))
/// try checkpoint.write(to: "sine.safetensors")
/// let saved = try Checkpoint.read(from: "sine.safetensors")
/// try saved.load(into: network.namedParameters)
/// ```
/// See Also: `SafetensorsFile`, `CheckpointMetadata`, `AtomicFile`.
public struct Checkpoint: Sendable {
  /// The prefix of optimizer state tensor names.
  public static let optimizerPrefix = "optimizer."
  /// The prefix of the history tensors (`history.loss`).
  public static let historyPrefix = "history."
  /// The prefix of early stopping's best parameters (`early_stopping.layers.0.weight`).
  public static let bestParametersPrefix = "early_stopping."
  /// The prefixes of tensors that are not parameters.
  public static let reservedPrefixes = [optimizerPrefix, historyPrefix, bestParametersPrefix]

  /// Whether `name` is a tensor of a reserved prefix (optimizer state, history, best parameters)
  /// rather than a parameter.
  public static func isReserved(_ name: String) -> Bool {
    reservedPrefixes.contains { name.hasPrefix($0) }
  }

  /// The tensors by name: parameters and optimizer state.
  public var tensors: [String: SafetensorsTensor]
  /// The run's metadata.
  public var metadata: CheckpointMetadata
  /// The file it was read from, as the user named it (for error messages); `nil` if built in memory.
  public var file: String?

  /// A checkpoint of `tensors` and `metadata`.
  public init(
    tensors: [String: SafetensorsTensor], metadata: CheckpointMetadata, file: String? = nil
  ) {
    self.tensors = tensors
    self.metadata = metadata
    self.file = file
  }

  /// A snapshot of `parameters` (and of the optimizer's state) in `S`'s precision.
  ///
  /// - Parameters:
  ///   - parameters: the network's parameters by path, e.g. `("layers.0.weight", weight)`.
  ///   - optimizer: the optimizer whose `stateSlots` name the state tensors; needed with
  ///     `optimizerState`.
  ///   - optimizerState: the per-parameter state to save, or `nil` for none. Its `step` is recorded
  ///     as `metadata.optimizerStep`.
  ///   - metadata: the run's metadata; its `precision` is set from `S`.
  public init<S: NNScalar>(
    parameters: [(path: String, parameter: Parameter<S>)], optimizer: (any Optimizer)? = nil,
    optimizerState: OptimizerState<S>? = nil, metadata: CheckpointMetadata
  ) {
    var tensors: [String: SafetensorsTensor] = [:]
    for (path, parameter) in parameters {
      precondition(tensors[path] == nil, "Checkpoint: parameter path '\(path)' appears twice")
      precondition(
        !Self.isReserved(path), "Checkpoint: parameter path '\(path)' uses a reserved prefix")
      tensors[path] = SafetensorsTensor(
        parameter.value, shape: Self.storedShape(path: path, parameter.value.shape))
    }
    var metadata = metadata
    metadata.precision = S.dtypeName == "F32" ? .float : .double
    if let optimizerState {
      precondition(optimizer != nil, "Checkpoint: saving optimizer state needs the optimizer")
      let slotNames = optimizer?.stateSlots.map(\.name) ?? []
      for (path, slots) in optimizerState.slots {
        precondition(
          slots.count == slotNames.count,
          "Checkpoint: '\(path)' has \(slots.count) state slots, the optimizer names \(slotNames.count)"
        )
        for (slot, matrix) in zip(slotNames, slots) {
          tensors[Self.stateName(path: path, slot: slot)] = SafetensorsTensor(
            matrix, shape: Self.storedShape(path: path, matrix.shape))
        }
      }
      metadata.optimizerStep = optimizerState.step
    }
    self.init(tensors: tensors, metadata: metadata)
  }

  /// The name of the optimizer state tensor for `slot` of the parameter at `path`:
  /// `optimizer.<path>.<slot>`.
  public static func stateName(path: String, slot: String) -> String {
    optimizerPrefix + path + "." + slot
  }

  /// The shape a parameter of in-memory shape `shape` is stored with: a bias `[1, n]` becomes `[n]`
  /// (as `torch.nn.Linear` stores it); everything else keeps its shape.
  public static func storedShape(path: String, _ shape: [Int]) -> [Int] {
    let isBias = path == "bias" || path.hasSuffix(".bias")
    return isBias && shape.count == 2 && shape[0] == 1 ? [shape[1]] : shape
  }

  /// The checkpoint as a safetensors file.
  public var safetensors: SafetensorsFile {
    SafetensorsFile(tensors: tensors, metadata: metadata.strings)
  }

  /// Writes the checkpoint to `path`, atomically (the old file stays whole until the new one is
  /// complete).
  ///
  /// - Parameter replacingAnyFile: allow replacing a file that is not an nnpipe checkpoint; default
  ///   `false`, so that a user's data file named by mistake is never destroyed.
  /// - Throws: `InputError` if `path` holds something other than an nnpipe checkpoint;
  ///   `AtomicFile.WriteError` if writing fails.
  public func write(to path: String, replacingAnyFile: Bool = false) throws {
    if !replacingAnyFile, AtomicFile.exists(path), !Self.isNNPipeCheckpoint(path: path) {
      throw InputError(
        file: path, "refusing to overwrite: the file exists and is not an nnpipe checkpoint",
        hint: "choose another output path, or move the file away")
    }
    try safetensors.write(to: path)
  }

  /// Reads the nnpipe checkpoint at `path`, checking the file and its metadata.
  ///
  /// - Throws: `InputError` naming the file: a malformed safetensors file, a file that is not an
  ///   nnpipe checkpoint (see `loadWeights` for plain safetensors files), or metadata of the wrong
  ///   form.
  public static func read(from path: String) throws -> Checkpoint {
    let file = try SafetensorsFile(contentsOf: path)
    let metadata = try CheckpointMetadata(strings: file.metadata, file: path)
    let checkpoint = Checkpoint(tensors: file.tensors, metadata: metadata, file: path)
    _ = try checkpoint.trainingHistory()  // checks the history tensors against their layout
    return checkpoint
  }

  /// Whether `path` is a readable safetensors file whose metadata marks it as an nnpipe checkpoint
  /// (only the header is read). `false` for a missing file, another kind of file or a damaged one.
  public static func isNNPipeCheckpoint(path: String) -> Bool {
    guard let metadata = try? SafetensorsFile.metadata(atPath: path) else { return false }
    return metadata["format"] == CheckpointMetadata.format
  }

  /// Copies the saved parameters into `parameters`, after checking all of them.
  ///
  /// Every parameter needs a tensor of its name with its shape (a `[1, n]` parameter also accepts
  /// `[n]`), a floating-point dtype and finite values; every parameter tensor of the checkpoint must
  /// belong to the model (optimizer state is not loaded here). Nothing is copied unless everything
  /// matches.
  ///
  /// - Throws: `InputError` naming the checkpoint and the first problem (`tensor 'layers.1.weight'
  ///   has shape [10, 64], the model needs [10, 128]`), with the other problems in the hint.
  public func load<S: NNScalar>(into parameters: [(path: String, parameter: Parameter<S>)]) throws {
    try Self.load(tensors, into: parameters, file: file ?? "checkpoint")
  }

  /// Loads the parameters of the safetensors file at `path` into `parameters`: initial weights from
  /// a file written elsewhere (e.g. by PyTorch's `safetensors.torch.save_file`) or from an nnpipe
  /// checkpoint. Metadata is not required and not read; optimizer state tensors are ignored.
  ///
  /// - Throws: `InputError` as `load(into:)` does, or for a malformed file.
  public static func loadWeights<S: NNScalar>(
    from path: String, into parameters: [(path: String, parameter: Parameter<S>)]
  ) throws {
    try load(SafetensorsFile(contentsOf: path).tensors, into: parameters, file: path)
  }

  /// Restores the optimizer state saved for `parameters` into `state` (its slots and its step), for
  /// resuming a run.
  ///
  /// - Throws: `InputError` if a state tensor of `optimizer`'s slots is missing or misshapen, or if the
  ///   checkpoint holds state the optimizer does not keep (it was saved with another optimizer).
  public func loadOptimizerState<S: NNScalar>(
    into state: OptimizerState<S>, parameters: [(path: String, parameter: Parameter<S>)],
    optimizer: any Optimizer
  ) throws {
    let slotNames = optimizer.stateSlots.map(\.name)
    var problems: [String] = []
    var restored: [String: [Matrix<S>]] = [:]
    var expected: Set<String> = []
    for (path, parameter) in parameters where !slotNames.isEmpty {
      var slots: [Matrix<S>] = []
      for slot in slotNames {
        let name = Self.stateName(path: path, slot: slot)
        expected.insert(name)
        switch Self.decode(tensors[name], name: name, path: path, like: parameter.value, as: S.self)
        {
        case .success(let matrix): slots.append(matrix)
        case .failure(let problem): problems.append(problem.message)
        }
      }
      if slots.count == slotNames.count { restored[path] = slots }
    }
    for name in tensors.keys.sorted()
    where name.hasPrefix(Self.optimizerPrefix) && !expected.contains(name) {
      problems.append(
        "tensor '\(name)' is optimizer state that \(optimizer.name) does not keep "
          + "(its slots: \(slotNames.isEmpty ? "none" : slotNames.joined(separator: ", ")))")
    }
    try Self.throwIfAny(problems, file: file ?? "checkpoint")
    state.slots = restored
    state.step = metadata.optimizerStep
  }

  /// The matrix saved under `name`, as `[rows, cols]` (a 1-D tensor as one row), in `S`; `nil` if
  /// absent or not at most two-dimensional.
  public func matrix<S: NNScalar>(named name: String, as type: S.Type = S.self) -> Matrix<S>? {
    guard let tensor = tensors[name] else { return nil }
    switch tensor.shape.count {
    case 0: return tensor.matrix(rows: 1, cols: 1)
    case 1: return tensor.matrix(rows: 1, cols: tensor.shape[0])
    case 2: return tensor.matrix(rows: tensor.shape[0], cols: tensor.shape[1])
    default: return nil
    }
  }

  // MARK: - History and early stopping

  /// The run's per-epoch history: the `history.<name>` tensors as `metadata.historyLayout` describes
  /// them, or the header's `history` of an older checkpoint; empty if neither is there.
  ///
  /// - Throws: `InputError` naming the checkpoint and the tensor or key: a series without its tensor,
  ///   a tensor of the wrong shape or dtype, more buckets than an `EpochSeries` keeps.
  public func trainingHistory() throws -> TrainingHistory {
    let place = file ?? "checkpoint"
    var series: [String: EpochSeries] = [:]
    for (name, layout) in metadata.historyLayout {
      let tensorName = Self.historyPrefix + name
      let exact = layout.epochsPerBucket == 1
      let buckets =
        exact
        ? layout.epochs : (layout.epochs + layout.epochsPerBucket - 1) / layout.epochsPerBucket
      let shape = exact ? [buckets] : [buckets, 2]
      guard let tensor = tensors[tensorName] else {
        throw InputError(
          file: place,
          "tensor '\(tensorName)' is missing; metadata 'history_layout' lists the series '\(name)'")
      }
      guard tensor.shape == shape, tensor.dtype.isFloatingPoint else {
        throw InputError(
          file: place,
          "tensor '\(tensorName)' has shape \(Self.shapeText(tensor.shape)) and dtype "
            + "\(tensor.dtype.rawValue); its history_layout (\(layout.epochs) epochs, "
            + "\(layout.epochsPerBucket) per bucket) needs \(Self.shapeText(shape)) of a floating-point dtype"
        )
      }
      let values = tensor.values()
      let minimums = exact ? values : stride(from: 0, to: values.count, by: 2).map { values[$0] }
      let maximums = exact ? values : stride(from: 1, to: values.count, by: 2).map { values[$0] }
      guard
        let parsed = EpochSeries(
          epochs: layout.epochs, epochsPerBucket: layout.epochsPerBucket, minimums: minimums,
          maximums: maximums)
      else {
        throw InputError(
          file: place,
          "tensor '\(tensorName)' holds \(buckets) buckets; a history keeps at most "
            + "\(EpochSeries.defaultCapacity)")
      }
      series[name] = parsed
    }
    for name in tensors.keys.sorted() where name.hasPrefix(Self.historyPrefix) {
      let seriesName = String(name.dropFirst(Self.historyPrefix.count))
      guard metadata.historyLayout[seriesName] != nil else {
        throw InputError(
          file: place, "tensor '\(name)' has no entry in metadata 'history_layout'",
          hint: "history tensors are written with their layout; was the checkpoint edited?")
      }
    }
    if metadata.historyLayout.isEmpty, let legacy = metadata.history {
      series = legacy.mapValues { EpochSeries(values: $0) }
    }
    return TrainingHistory(
      loss: series["loss"] ?? EpochSeries(), validationLoss: series["val_loss"])
  }

  /// Stores `history` as the tensors `history.loss` (and `history.val_loss`) with their layout,
  /// replacing any history there was (including an older checkpoint's header history).
  public mutating func setTrainingHistory(_ history: TrainingHistory) {
    for name in tensors.keys where name.hasPrefix(Self.historyPrefix) { tensors[name] = nil }
    metadata.history = nil
    metadata.historyLayout = [:]
    for (name, series) in history.named {
      let values =
        series.isExact
        ? series.minimums : zip(series.minimums, series.maximums).flatMap { [$0, $1] }
      let shape = series.isExact ? [series.minimums.count] : [series.minimums.count, 2]
      tensors[Self.historyPrefix + name] = SafetensorsTensor(shape: shape, values: values)
      metadata.historyLayout[name] = CheckpointMetadata.HistoryLayout(
        epochs: series.epochs, epochsPerBucket: series.epochsPerBucket)
    }
  }

  /// Stores early stopping's best parameters (`values`, in the order of `parameters`) as
  /// `early_stopping.<path>` tensors.
  public mutating func setBestParameters<S: NNScalar>(
    _ values: [Matrix<S>], of parameters: [(path: String, parameter: Parameter<S>)]
  ) {
    precondition(values.count == parameters.count, "setBestParameters: one value per parameter")
    for ((path, _), value) in zip(parameters, values) {
      tensors[Self.bestParametersPrefix + path] = SafetensorsTensor(
        value, shape: Self.storedShape(path: path, value.shape))
    }
  }

  /// Early stopping's best parameters saved for `parameters`, in their order, or `nil` if the
  /// checkpoint holds none.
  ///
  /// - Throws: `InputError` if some are there but one is missing, misshapen or not finite.
  public func bestParameters<S: NNScalar>(
    for parameters: [(path: String, parameter: Parameter<S>)]
  ) throws -> [Matrix<S>]? {
    guard tensors.keys.contains(where: { $0.hasPrefix(Self.bestParametersPrefix) }) else {
      return nil
    }
    var problems: [String] = []
    var values: [Matrix<S>] = []
    for (path, parameter) in parameters {
      let name = Self.bestParametersPrefix + path
      switch Self.decode(tensors[name], name: name, path: path, like: parameter.value, as: S.self) {
      case .success(let matrix): values.append(matrix)
      case .failure(let problem): problems.append(problem.message)
      }
    }
    let expected = Set(parameters.map { Self.bestParametersPrefix + $0.path })
    for name in tensors.keys.sorted()
    where name.hasPrefix(Self.bestParametersPrefix) && !expected.contains(name) {
      problems.append("tensor '\(name)' is not early stopping's copy of a parameter of the model")
    }
    try Self.throwIfAny(problems, file: file ?? "checkpoint")
    return values
  }

  // MARK: - Checking and copying

  /// A problem with one tensor.
  struct Problem: Error {
    var message: String
  }

  /// Checks every parameter against `tensors`, then copies them all.
  static func load<S: NNScalar>(
    _ tensors: [String: SafetensorsTensor],
    into parameters: [(path: String, parameter: Parameter<S>)], file: String
  ) throws {
    var problems: [String] = []
    var decoded: [(Matrix<S>, Matrix<S>)] = []
    let paths = Set(parameters.map(\.path))
    precondition(paths.count == parameters.count, "Checkpoint.load: a parameter path appears twice")
    for (path, parameter) in parameters {
      switch decode(tensors[path], name: path, path: path, like: parameter.value, as: S.self) {
      case .success(let matrix): decoded.append((matrix, parameter.value))
      case .failure(let problem): problems.append(problem.message)
      }
    }
    let unexpected = tensors.keys.sorted().filter { !isReserved($0) && !paths.contains($0) }
    for name in unexpected {
      let suggestion = closestName(to: name, in: paths.sorted()).map { "; did you mean '\($0)'?" }
      problems.append(
        "tensor '\(name)' \(shapeText(tensors[name]!.shape)) is not a parameter of the model"
          + (suggestion ?? " (its parameters: \(paths.sorted().joined(separator: ", ")))"))
    }
    try throwIfAny(problems, file: file)
    for (saved, parameter) in decoded { parameter.assign(saved) }
  }

  /// The tensor `name` decoded into a matrix shaped like `model`, or the problem with it.
  static func decode<S: NNScalar>(
    _ tensor: SafetensorsTensor?, name: String, path: String, like model: Matrix<S>,
    as type: S.Type
  ) -> Result<Matrix<S>, Problem> {
    let needed = storedShape(path: path, model.shape)
    guard let tensor else {
      return .failure(
        Problem(message: "tensor '\(name)' is missing; the model needs \(shapeText(needed))"))
    }
    let accepted = tensor.shape == model.shape || (model.rows == 1 && tensor.shape == [model.cols])
    guard accepted else {
      return .failure(
        Problem(
          message:
            "tensor '\(name)' has shape \(shapeText(tensor.shape)), the model needs \(shapeText(needed))"
        ))
    }
    guard tensor.dtype.isFloatingPoint else {
      return .failure(
        Problem(
          message:
            "tensor '\(name)' has dtype \(tensor.dtype.rawValue); a parameter needs a floating-point dtype (F32, F64, F16, BF16)"
        ))
    }
    let values = tensor.values()
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      return .failure(
        Problem(
          message:
            "tensor '\(name)' holds \(values[bad]) at element \(bad); saved parameters must be finite"
        ))
    }
    let matrix: Matrix<S> = SafetensorsTensor.matrix(
      rows: model.rows, cols: model.cols, values: values)
    return .success(matrix)
  }

  /// Throws the first of `problems` with the others (up to five) in the hint.
  static func throwIfAny(_ problems: [String], file: String) throws {
    guard let first = problems.first else { return }
    var hint: String?
    if problems.count > 1 {
      let shown = problems.dropFirst().prefix(5)
      hint =
        "also: " + shown.joined(separator: "; ")
        + (problems.count - 1 > shown.count ? "; and \(problems.count - 1 - shown.count) more" : "")
    }
    throw InputError(file: file, first, hint: hint)
  }

  /// `[10, 64]`.
  static func shapeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
  }

}
