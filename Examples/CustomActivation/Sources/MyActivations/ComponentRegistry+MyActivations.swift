import NNProtocols

// snippet: register
extension ComponentRegistry {
  /// Registers this package's activations: `scaled_tanh(a=1.7159, b=0.6667)` and `gaussian`.
  ///
  /// Call it on `ComponentRegistry.standard()` before handing the registry to nnpipe's command line
  /// or model parser; a model file can then name them like any built-in.
  ///
  /// - Throws: `ComponentRegistry.DuplicateName` if either name is already registered.
  public mutating func registerMyActivations() throws {
    try registerActivation(
      ScaledTanh.registeredName, summary: ScaledTanh.summary, options: ScaledTanh.optionSpecs
    ) { options in
      ScaledTanh(options: options)
    }
    try registerActivation("gaussian", summary: "Gaussian bump: g(z) = exp(-z^2), g' = -2*z*g") {
      _ in Gaussian()
    }
  }
}
// end-snippet
