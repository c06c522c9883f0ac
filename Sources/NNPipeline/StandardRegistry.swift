import NNActivations
import NNDatasets
import NNLayers
import NNLosses
import NNOptimizers
import NNProtocols

extension ComponentRegistry {
  /// A registry holding every built-in component: activations, layers, initializers, losses,
  /// optimizers, schedules and data sets. Add your own with the `register…` methods.
  public static func standard() -> ComponentRegistry {
    var registry = ComponentRegistry()
    do {
      try registry.registerBuiltinActivations()
      try registry.registerBuiltinInitializers()
      try registry.registerBuiltinLayers()
      try registry.registerBuiltinLosses()
      try registry.registerBuiltinOptimizers()
      try registry.registerBuiltinSchedules()
      try registry.registerBuiltinDatasets()
    } catch {
      preconditionFailure("built-in components must have distinct names: \(error)")
    }
    return registry
  }
}

/// nnpipe's version, recorded in checkpoints and printed by `nnpipe --version`.
public let nnpipeVersion = "0.1.0"
