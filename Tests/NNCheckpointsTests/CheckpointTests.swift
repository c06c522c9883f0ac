import Foundation
import NNProtocols
import NNTestSupport
import Testing

@testable import NNCheckpoints

/// An optimizer with two state slots, enough to save and restore state (its update is not used).
private struct TwoSlotOptimizer: Optimizer {
  var name: String { "two_slot" }
  var stateSlots: [StateSlot] { [StateSlot("m"), StateSlot("v", initialValue: 1)] }
  func update<S: NNScalar>(
    _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
    learningRate: Double
  ) {}
}

/// The parameters of a 2-3-1 network, `[outputs, inputs]` weights and `[1, outputs]` biases, filled
/// from `generator`.
private func network<S: NNScalar>(
  _ type: S.Type, hidden: Int = 3, using generator: inout SeededGenerator
) -> [(path: String, parameter: Parameter<S>)] {
  let shapes = [
    ("layers.0.weight", hidden, 2), ("layers.0.bias", 1, hidden), ("layers.2.weight", 1, hidden),
    ("layers.2.bias", 1, 1),
  ]
  return shapes.map { path, rows, cols in
    let value: Matrix<S> = randomMatrix(rows: rows, cols: cols, using: &generator)
    let name = String(path.split(separator: ".").last!)
    return (
      path: path,
      parameter: Parameter(name: name, value: value, gradient: Matrix(rows: rows, cols: cols))
    )
  }
}

/// Fresh zero parameters shaped like `parameters`.
private func zeros<S: NNScalar>(like parameters: [(path: String, parameter: Parameter<S>)])
  -> [(path: String, parameter: Parameter<S>)]
{
  parameters.map { path, parameter in
    let (rows, cols) = (parameter.value.rows, parameter.value.cols)
    return (
      path: path,
      parameter: Parameter(
        name: parameter.name, value: Matrix(rows: rows, cols: cols),
        gradient: Matrix(rows: rows, cols: cols))
    )
  }
}

private let metadata = CheckpointMetadata(
  nnpipeVersion: "0.1.0", model: "data sine\ndense units=3 activation=tanh\ndense units=1\n",
  featureNames: ["x"], epoch: 7, generatorState: SeededGenerator(seed: 3).state,
  components: ["layer:dense", "activation:tanh"])

@Suite struct CheckpointTests {
  func roundTrip<S: NNScalar>(_ type: S.Type) throws {
    var generator = SeededGenerator(seed: 11)
    let parameters = network(S.self, using: &generator)
    let optimizer = TwoSlotOptimizer()
    let state = OptimizerState<S>()
    for (path, parameter) in parameters {
      let slots = state.slots(for: path, shapedLike: parameter.value, optimizer: optimizer)
      for slot in slots {
        for i in 0..<slot.count { slot.base[i] = S(generator.normal()) }
      }
    }
    state.step = 42

    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("run.safetensors")
    try Checkpoint(
      parameters: parameters, optimizer: optimizer, optimizerState: state, metadata: metadata
    )
    .write(to: path)

    let read = try Checkpoint.read(from: path)
    #expect(read.file == path)
    #expect(read.metadata.precision == (S.self == Float.self ? .float : .double))
    #expect(read.metadata.optimizerStep == 42)
    #expect(read.metadata.epoch == 7 && read.metadata.model == metadata.model)
    #expect(read.tensors["layers.0.weight"]?.dtype == SafetensorsDType.of(S.self))
    #expect(read.tensors["layers.0.weight"]?.shape == [3, 2], "weights are [outputs, inputs]")
    #expect(read.tensors["layers.0.bias"]?.shape == [3], "a bias is stored 1-D, as torch.nn.Linear")
    #expect(read.tensors["optimizer.layers.0.bias.v"]?.shape == [3])
    #expect(read.tensors.count == 4 + 4 * 2)

    let restored = zeros(like: parameters)
    try read.load(into: restored)
    for (saved, loaded) in zip(parameters, restored) {
      #expect(
        loaded.parameter.value.elementsEqual(saved.parameter.value), "\(saved.path) bit for bit")
    }
    let restoredState = OptimizerState<S>()
    try read.loadOptimizerState(into: restoredState, parameters: restored, optimizer: optimizer)
    #expect(restoredState.step == 42)
    for (path, slots) in state.slots {
      let loaded = try #require(restoredState.slots[path])
      #expect(zip(slots, loaded).allSatisfy { $0.elementsEqual($1) }, "state of \(path)")
    }
  }

  @Test func roundTripsFloatParametersAndStateBitForBit() throws { try roundTrip(Float.self) }
  @Test func roundTripsDoubleParametersAndStateBitForBit() throws { try roundTrip(Double.self) }

  @Test func aSnapshotDoesNotFollowLaterChanges() throws {
    var generator = SeededGenerator(seed: 1)
    let parameters = network(Double.self, using: &generator)
    let before = parameters[0].parameter.value.copy()
    let checkpoint = Checkpoint(parameters: parameters, metadata: metadata)
    parameters[0].parameter.value.fill(99)
    #expect(
      checkpoint.matrix(named: "layers.0.weight", as: Double.self)?.elementsEqual(before) == true)
    #expect(checkpoint.matrix(named: "layers.0.bias", as: Double.self)?.shape == [1, 3])
    #expect(checkpoint.matrix(named: "nothing", as: Double.self) == nil)
  }

  /// The error loading `checkpoint` into `parameters`, checking that no parameter changed.
  private func loadError<S: NNScalar>(
    _ checkpoint: Checkpoint, into parameters: [(path: String, parameter: Parameter<S>)],
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> InputError? {
    let before = parameters.map { $0.parameter.value.copy() }
    let error = #expect(throws: InputError.self, sourceLocation: sourceLocation) {
      try checkpoint.load(into: parameters)
    }
    #expect(
      zip(before, parameters).allSatisfy { $0.elementsEqual($1.parameter.value) },
      "nothing is copied when a tensor does not match", sourceLocation: sourceLocation)
    return error
  }

  @Test func aShapeMismatchNamesTheTensorAndBothShapes() {
    var generator = SeededGenerator(seed: 2)
    var checkpoint = Checkpoint(
      parameters: network(Float.self, hidden: 64, using: &generator), metadata: metadata)
    checkpoint.file = "x.safetensors"
    let model = network(Float.self, hidden: 128, using: &generator)
    let error = loadError(checkpoint, into: model)
    #expect(error?.file == "x.safetensors")
    #expect(
      error?.message == "tensor 'layers.0.weight' has shape [64, 2], the model needs [128, 2]")
    #expect(
      error?.hint
        == "also: tensor 'layers.0.bias' has shape [64], the model needs [128]; tensor 'layers.2.weight' has shape [1, 64], the model needs [1, 128]"
    )
    #expect(
      error?.description.hasPrefix(
        "x.safetensors: error: tensor 'layers.0.weight' has shape [64, 2], the model needs [128, 2]"
      )
        == true)
  }

  @Test func aMissingTensorIsNamed() {
    var generator = SeededGenerator(seed: 3)
    let model = network(Double.self, using: &generator)
    var checkpoint = Checkpoint(parameters: model, metadata: metadata)
    checkpoint.tensors["layers.2.bias"] = nil
    #expect(
      loadError(checkpoint, into: model)?.message
        == "tensor 'layers.2.bias' is missing; the model needs [1]")
  }

  @Test func anExtraTensorIsNamedWithTheClosestParameter() {
    var generator = SeededGenerator(seed: 4)
    let model = network(Double.self, using: &generator)
    var checkpoint = Checkpoint(parameters: model, metadata: metadata)
    checkpoint.tensors["layers.2.weights"] = SafetensorsTensor(shape: [1, 3], values: [1, 2, 3])
    checkpoint.tensors["head.scale"] = SafetensorsTensor(shape: [], values: [1])
    let error = loadError(checkpoint, into: model)
    #expect(
      error?.message
        == "tensor 'head.scale' [] is not a parameter of the model (its parameters: layers.0.bias, layers.0.weight, layers.2.bias, layers.2.weight)"
    )
    #expect(
      error?.hint
        == "also: tensor 'layers.2.weights' [1, 3] is not a parameter of the model; did you mean 'layers.2.weight'?"
    )
  }

  @Test func aBiasLoadsFromEitherShapeAndAnyFloatDtype() throws {
    var generator = SeededGenerator(seed: 5)
    let model = network(Float.self, using: &generator)
    var checkpoint = Checkpoint(parameters: model, metadata: metadata)
    checkpoint.tensors["layers.0.bias"] = SafetensorsTensor(shape: [1, 3], values: [1, 2, 3])
    checkpoint.tensors["layers.2.bias"] = SafetensorsTensor(
      dtype: .f16, shape: [1], bytes: [0x00, 0xC0])
    try checkpoint.load(into: model)
    #expect(model[1].parameter.value.scalars == [1, 2, 3])
    #expect(model[3].parameter.value.scalars == [-2])
  }

  @Test func integerAndNonFiniteTensorsAreRefused() {
    var generator = SeededGenerator(seed: 6)
    let model = network(Double.self, using: &generator)
    var checkpoint = Checkpoint(parameters: model, metadata: metadata)
    checkpoint.tensors["layers.2.bias"] = SafetensorsTensor(
      dtype: .i32, shape: [1], bytes: [1, 0, 0, 0])
    #expect(
      loadError(checkpoint, into: model)?.message
        == "tensor 'layers.2.bias' has dtype I32; a parameter needs a floating-point dtype (F32, F64, F16, BF16)"
    )
    checkpoint.tensors["layers.2.bias"] = SafetensorsTensor(shape: [1], values: [.nan])
    #expect(
      loadError(checkpoint, into: model)?.message
        == "tensor 'layers.2.bias' holds nan at element 0; saved parameters must be finite")
  }

  @Test func optimizerStateOfAnotherOptimizerIsRefused() throws {
    var generator = SeededGenerator(seed: 7)
    let model = network(Double.self, using: &generator)
    let state = OptimizerState<Double>()
    _ = state.slots(
      for: "layers.0.weight", shapedLike: model[0].parameter.value, optimizer: TwoSlotOptimizer())
    var checkpoint = Checkpoint(
      parameters: model, optimizer: TwoSlotOptimizer(), optimizerState: state, metadata: metadata)
    checkpoint.file = "run.safetensors"
    // Only layers.0.weight has state: the others' slots are missing.
    let missing = #expect(throws: InputError.self) {
      try checkpoint.loadOptimizerState(
        into: OptimizerState(), parameters: model, optimizer: TwoSlotOptimizer())
    }
    #expect(
      missing?.message == "tensor 'optimizer.layers.0.bias.m' is missing; the model needs [3]")

    struct Stateless: Optimizer {
      var name: String { "sgd" }
      func update<S: NNScalar>(
        _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], step: Int,
        learningRate: Double
      ) {}
    }
    let extra = #expect(throws: InputError.self) {
      try checkpoint.loadOptimizerState(
        into: OptimizerState(), parameters: model, optimizer: Stateless())
    }
    #expect(
      extra?.message
        == "tensor 'optimizer.layers.0.weight.m' is optimizer state that sgd does not keep (its slots: none)"
    )
    // Parameters load regardless of optimizer state.
    try checkpoint.load(into: zeros(like: model))
  }

  @Test func recognisesOnlyNNPipeCheckpoints() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    var generator = SeededGenerator(seed: 8)
    let model = network(Float.self, using: &generator)
    try Checkpoint(parameters: model, metadata: metadata).write(to: folder.file("run.safetensors"))
    try SafetensorsFile(tensors: ["w": SafetensorsTensor(shape: [1], values: [1])])
      .write(to: folder.file("plain.safetensors"))
    try AtomicFile.write(Array("x,y\n1,2\n".utf8), to: folder.file("data.csv"))
    #expect(Checkpoint.isNNPipeCheckpoint(path: folder.file("run.safetensors")))
    #expect(!Checkpoint.isNNPipeCheckpoint(path: folder.file("plain.safetensors")))
    #expect(!Checkpoint.isNNPipeCheckpoint(path: folder.file("data.csv")))
    #expect(!Checkpoint.isNNPipeCheckpoint(path: folder.file("missing.safetensors")))
    #expect(!Checkpoint.isNNPipeCheckpoint(path: folder.path))
  }

  @Test func neverOverwritesAFileThatIsNotACheckpoint() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let data = folder.file("data.csv")
    try AtomicFile.write(Array("x,y\n1,2\n".utf8), to: data)
    var generator = SeededGenerator(seed: 9)
    let checkpoint = Checkpoint(
      parameters: network(Float.self, using: &generator), metadata: metadata)
    let error = #expect(throws: InputError.self) { try checkpoint.write(to: data) }
    #expect(error?.file == data)
    #expect(
      error?.message == "refusing to overwrite: the file exists and is not an nnpipe checkpoint")
    #expect(try AtomicFile.readBytes(data) == Array("x,y\n1,2\n".utf8))
    // An older checkpoint is replaced; so is any file when explicitly allowed.
    let run = folder.file("run.safetensors")
    try checkpoint.write(to: run)
    var later = checkpoint
    later.metadata.epoch = 8
    try later.write(to: run)
    #expect(try Checkpoint.read(from: run).metadata.epoch == 8)
    try checkpoint.write(to: data, replacingAnyFile: true)
    #expect(Checkpoint.isNNPipeCheckpoint(path: data))
    #expect(try folder.contents() == ["data.csv", "run.safetensors"])
  }

  @Test func readingAPlainSafetensorsFileAsACheckpointExplainsWhy() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("plain.safetensors")
    try SafetensorsFile(tensors: ["w": SafetensorsTensor(shape: [1], values: [1])]).write(to: path)
    let error = #expect(throws: InputError.self) { try Checkpoint.read(from: path) }
    #expect(
      error?.description == """
        \(path): error: not an nnpipe checkpoint: its metadata has no 'format' = 'nnpipe-checkpoint'
        note: a safetensors file written elsewhere (e.g. by PyTorch) can give initial weights
        """)
  }

  @Test func loadsInitialWeightsFromAPlainSafetensorsFile() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("torch.safetensors")
    // As torch.nn.Sequential(Linear(2, 3), Tanh(), Linear(3, 1)) saves it: 1-D biases, no metadata.
    try SafetensorsFile(tensors: [
      "layers.0.weight": SafetensorsTensor(
        shape: [3, 2], values: [1, 2, 3, 4, 5, 6], dtype: .f32),
      "layers.0.bias": SafetensorsTensor(shape: [3], values: [0.5, 0, -0.5], dtype: .f32),
      "layers.2.weight": SafetensorsTensor(shape: [1, 3], values: [7, 8, 9], dtype: .f32),
      "layers.2.bias": SafetensorsTensor(shape: [1], values: [10], dtype: .f32),
    ]).write(to: path)
    var generator = SeededGenerator(seed: 10)
    let model = network(Double.self, using: &generator)
    try Checkpoint.loadWeights(from: path, into: model)
    #expect(
      model.map { $0.parameter.value.scalars } == [
        [1, 2, 3, 4, 5, 6], [0.5, 0, -0.5], [7, 8, 9], [10],
      ])

    let wider = network(Double.self, hidden: 4, using: &generator)
    let error = #expect(throws: InputError.self) {
      try Checkpoint.loadWeights(from: path, into: wider)
    }
    #expect(error?.file == path)
    #expect(error?.message == "tensor 'layers.0.weight' has shape [3, 2], the model needs [4, 2]")
  }

  @Test(.enabled(if: pythonHasSafetensors, "python3 with safetensors and numpy is not installed"))
  func loadsInitialWeightsSavedByPython() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("numpy.safetensors")
    let script = """
      import sys
      import numpy as np
      from safetensors.numpy import save_file
      save_file({
          "layers.0.weight": np.arange(6, dtype=np.float32).reshape(3, 2) / 4,
          "layers.0.bias": np.array([0.5, 0.0, -0.5], dtype=np.float32),
          "layers.2.weight": np.array([[7, 8, 9]], dtype=np.float64),
          "layers.2.bias": np.array([10], dtype=np.float16),
      }, sys.argv[1])
      """
    _ = try #require(runPython(["-c", script, path]))
    var generator = SeededGenerator(seed: 12)
    let model = network(Float.self, using: &generator)
    try Checkpoint.loadWeights(from: path, into: model)
    #expect(
      model.map { $0.parameter.value.scalars }
        == [[0, 0.25, 0.5, 0.75, 1, 1.25], [0.5, 0, -0.5], [7, 8, 9], [10]])
  }
}
