import NNProtocols

/// A layer that draws random numbers while training (dropout's masks) from a generator of its own.
///
/// A checkpoint saves each such layer's generator state (`Network.generatorStates`) and a resumed run
/// puts it back (`Network.restoreGeneratorStates`), so the resumed run draws the same numbers as an
/// uninterrupted one would have.
public protocol RandomizedLayer: AnyObject {
  /// The generator the layer draws from; setting it makes the layer continue from that state.
  var generator: SeededGenerator { get set }
}

extension Network {
  /// The path (`layers.1`) of every layer that draws random numbers, in layer order.
  public var randomizedLayerPaths: [String] {
    layers.indices.filter { layers[$0] is any RandomizedLayer }.map { "layers.\($0)" }
  }

  /// The generator state of every layer that draws random numbers, by its path (`layers.1`).
  public var generatorStates: [String: [UInt64]] {
    var states: [String: [UInt64]] = [:]
    for (index, layer) in layers.enumerated() {
      if let randomized = layer as? any RandomizedLayer {
        states["layers.\(index)"] = randomized.generator.state
      }
    }
    return states
  }

  /// Puts back the generator states saved by `generatorStates`.
  ///
  /// - Precondition: `states` names exactly the `randomizedLayerPaths`, each with a valid state
  ///   (callers check a checkpoint's states first and report a mismatch as an input error).
  public func restoreGeneratorStates(_ states: [String: [UInt64]]) {
    precondition(
      Set(states.keys) == Set(randomizedLayerPaths),
      "restoreGeneratorStates: the states name \(states.keys.sorted()), the network's randomized layers are \(randomizedLayerPaths)"
    )
    for (index, layer) in layers.enumerated() {
      guard let randomized = layer as? any RandomizedLayer,
        let saved = states["layers.\(index)"]
      else { continue }
      guard let generator = SeededGenerator(state: saved) else {
        preconditionFailure("restoreGeneratorStates: invalid state for layers.\(index)")
      }
      randomized.generator = generator
    }
  }
}
