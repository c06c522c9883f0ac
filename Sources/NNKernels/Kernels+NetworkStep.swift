import CNNKernels

extension Kernels {
  /// The largest network `denseNetworkStep` takes: this many dense layers, at most
  /// `networkStepMaxWidth` units in any layer (the input included) and `networkStepMaxWeights`
  /// weights in all. Beyond that the layer-by-layer step, with its blocked matrix products, is faster.
  public static let networkStepMaxLayers = Int(NN_NETWORK_STEP_MAX_LAYERS)
  /// The widest layer `denseNetworkStep` takes (see `networkStepMaxLayers`).
  public static let networkStepMaxWidth = Int(NN_NETWORK_STEP_MAX_WIDTH)
  /// The most weights `denseNetworkStep` takes (see `networkStepMaxLayers`).
  public static let networkStepMaxWeights = Int(NN_NETWORK_STEP_MAX_WEIGHTS)

  /// Whether a chain of dense layers of these sizes (the input's first, then each layer's units) is
  /// within the limits of `denseNetworkStep`.
  public static func networkStepFits(sizes: [Int]) -> Bool {
    sizes.withUnsafeBufferPointer { nn_network_step_fits(sizes.count - 1, $0.baseAddress) != 0 }
  }

  /// One gradient-descent step's forward and backward pass of a small dense network in one call, for
  /// `rows` samples (`x`: `rows × sizes[0]`, `y`: `rows × sizes[L]`, row-major):
  /// ```
  /// forward   Zˡ = Aˡ⁻¹·Wˡᵀ + bˡ,  Aˡ = g(Zˡ)               l = 1 … L,  A⁰ = X
  /// loss      L = lossScale·Σ (Aᴸ − Y)²,  dAᴸ = gradientScale·(Aᴸ − Y)
  /// backward  dZˡ = dAˡ ∘ g'(Zˡ),  dWˡ = dZˡᵀ·Aˡ⁻¹,  dbˡ = Σ_rows dZˡ,  dAˡ⁻¹ = dZˡ·Wˡ
  /// ```
  /// The batch is walked in tiles of a few vectors of samples, each tile's whole pass staying in the
  /// L1 cache. Layer `l` (1-based) has `weights[l − 1]` (`sizes[l] × sizes[l − 1]`), `biases[l − 1]`
  /// (`nil`: no bias) and the activation `kinds[l − 1]` (`FusedActivationKernel` raw values); the
  /// gradients are overwritten. Returns the loss, or `nil` (nothing written) when the network is
  /// beyond the limits (`networkStepFits`) or `rows < 1`.
  public static func denseNetworkStep(
    layerCount: Int, sizes: UnsafePointer<Int>, kinds: UnsafePointer<Int32>,
    weights: UnsafePointer<UnsafePointer<Float>?>, biases: UnsafePointer<UnsafePointer<Float>?>,
    weightGradients: UnsafePointer<UnsafeMutablePointer<Float>?>,
    biasGradients: UnsafePointer<UnsafeMutablePointer<Float>?>,
    rows: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>, lossScale: Double,
    gradientScale: Double
  ) -> Double? {
    var loss = 0.0
    let done = nn_s_dense_network_step(
      layerCount, sizes, kinds, weights, biases, weightGradients, biasGradients, rows, x, y,
      lossScale, gradientScale, &loss)
    return done != 0 ? loss : nil
  }

  /// The step in double precision (see the `Float` form).
  public static func denseNetworkStep(
    layerCount: Int, sizes: UnsafePointer<Int>, kinds: UnsafePointer<Int32>,
    weights: UnsafePointer<UnsafePointer<Double>?>, biases: UnsafePointer<UnsafePointer<Double>?>,
    weightGradients: UnsafePointer<UnsafeMutablePointer<Double>?>,
    biasGradients: UnsafePointer<UnsafeMutablePointer<Double>?>,
    rows: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>, lossScale: Double,
    gradientScale: Double
  ) -> Double? {
    var loss = 0.0
    let done = nn_d_dense_network_step(
      layerCount, sizes, kinds, weights, biases, weightGradients, biasGradients, rows, x, y,
      lossScale, gradientScale, &loss)
    return done != 0 ? loss : nil
  }
}
