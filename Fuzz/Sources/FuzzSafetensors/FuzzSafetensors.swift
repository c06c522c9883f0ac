import CFuzzerDriver
import FuzzSupport
import NNCheckpoints
import NNPipeline
import NNProtocols

let registry = ComponentRegistry.standard()
let adam: any Optimizer = try! registry.makeOptimizer(registry.reference(.optimizer, "adam"))

/// The parameters of a 2-3-1 network, as a checkpoint is loaded into them.
func parameters<S: NNScalar>(_ type: S.Type) -> [(path: String, parameter: Parameter<S>)] {
  [
    ("layers.0.weight", 3, 2), ("layers.0.bias", 1, 3), ("layers.1.weight", 1, 3),
    ("layers.1.bias", 1, 1),
  ].map { path, rows, cols in
    (
      path,
      Parameter(
        name: String(path.split(separator: ".").last!),
        value: Matrix(rows: rows, cols: cols), gradient: Matrix(rows: rows, cols: cols))
    )
  }
}

/// Loads a checkpoint into the 2-3-1 network in precision `S`, optimizer state included.
func load<S: NNScalar>(_ checkpoint: Checkpoint, as type: S.Type) {
  let network = parameters(S.self)
  acceptInputErrors("Checkpoint.load") { try checkpoint.load(into: network) }
  acceptInputErrors("Checkpoint.loadOptimizerState") {
    try checkpoint.loadOptimizerState(
      into: OptimizerState<S>(), parameters: network, optimizer: adam)
  }
}

/// An input is the bytes of a safetensors file. It is read as bytes (`SafetensorsFile`), its
/// metadata as an nnpipe checkpoint's, its tensors loaded into a small network, and, from a file, as
/// `nnpipe predict` and `evaluate` load a checkpoint (`TrainedModel`: the stored model text parsed,
/// the network built, the weights loaded).
///
/// A file that reads must serialize to bytes that read back to an equal file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  acceptInputErrors("SafetensorsFile") {
    let file = try SafetensorsFile(bytes: bytes, file: "fuzz.safetensors")
    for tensor in file.tensors.values {
      require(tensor.values().count == tensor.shape.reduce(1, *), "element count against shape")
    }
    let again = try SafetensorsFile(bytes: file.serialized(), file: "again.safetensors")
    require(again == file, "a file read back from its own serialization differs")

    acceptInputErrors("CheckpointMetadata") {
      let metadata = try CheckpointMetadata(strings: file.metadata, file: "fuzz.safetensors")
      let checkpoint = Checkpoint(tensors: file.tensors, metadata: metadata, file: "fuzz")
      load(checkpoint, as: Float.self)
      load(checkpoint, as: Double.self)
      for name in checkpoint.tensors.keys {
        let _: Matrix<Float>? = checkpoint.matrix(named: name)
      }
    }
  }
  let path = scratchFile("c", bytes)
  acceptInputErrors("SafetensorsFile.metadata(atPath:)") {
    _ = try SafetensorsFile.metadata(atPath: path)
  }
  acceptInputErrors("TrainedModel") {
    let model = try TrainedModel(checkpointAt: path, registry: registry)
    _ = model.predict(Matrix(rows: 2, cols: model.featureScaler.columns))
  }
  return 0
}

@_cdecl("FuzzSafetensors_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  nnpipe_fuzz_main(argc, argv, fuzzSafetensors)
}
