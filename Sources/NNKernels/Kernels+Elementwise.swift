import CNNKernels

extension Kernels {
  /// `y[i] = eˣ⁽ⁱ⁾` for `count` elements, vectorized (a few ulp); `y` may equal `x`.
  ///
  /// `exp(+∞) = +∞`, `exp(−∞) = 0`; results beyond the largest finite value are `+∞`, below the
  /// smallest subnormal `0`; NaN stays NaN.
  @inlinable
  public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    nn_s_exp(count, x, y)
  }

  /// `y[i] = eˣ⁽ⁱ⁾` for `count` elements in double precision; `y` may equal `x` (see the `Float` form).
  @inlinable
  public static func exp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int)
  {
    nn_d_exp(count, x, y)
  }

  /// The logistic sigmoid `y[i] = 1 / (1 + e^−x[i])` for `count` elements; `y` may equal `x`.
  ///
  /// Computed as `1 / (1 + e^−|x|)` for `x ≥ 0` and `e^−|x| / (1 + e^−|x|)` for `x < 0`, so it never
  /// overflows and small results keep their relative accuracy: `sigmoid(−50) ≈ 1.9e−22`, not 0.
  /// `sigmoid(±∞) = 1, 0`; NaN stays NaN.
  @inlinable
  public static func sigmoid(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    nn_s_sigmoid(count, x, y)
  }

  /// The logistic sigmoid in double precision; `y` may equal `x` (see the `Float` form).
  @inlinable
  public static func sigmoid(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    nn_d_sigmoid(count, x, y)
  }

  /// `y[i] = tanh(x[i])` for `count` elements; `y` may equal `x`.
  ///
  /// Computed as `sign(x)·t / (t + 2)` with `t = e^{2|x|} − 1` (accurate for small `|x|`);
  /// `tanh(±∞) = ±1`, `tanh(−0) = −0`; NaN stays NaN.
  @inlinable
  public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    nn_s_tanh(count, x, y)
  }

  /// `y[i] = tanh(x[i])` in double precision; `y` may equal `x` (see the `Float` form).
  @inlinable
  public static func tanh(
    _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int
  ) {
    nn_d_tanh(count, x, y)
  }
}

extension Kernels {
  /// Column sums `sums[j] = Σ_i x[i·ld + j]` of a row-major `rows × cols` matrix whose rows start
  /// `ld` elements apart: a dense layer's bias gradient `db = Σ_rows dZ`.
  ///
  /// Each column is added row by row, in order, so every code path gives the same bits.
  @inlinable
  public static func sumRows(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int, into sums: UnsafeMutablePointer<Float>
  ) {
    nn_s_sum_rows(rows, cols, x, ld, sums)
  }

  /// Column sums in double precision (see the `Float` form).
  @inlinable
  public static func sumRows(
    _ x: UnsafePointer<Double>, rows: Int, cols: Int, ld: Int,
    into sums: UnsafeMutablePointer<Double>
  ) {
    nn_d_sum_rows(rows, cols, x, ld, sums)
  }
}

extension Kernels {
  /// A dense layer's bias and activation in one pass over a contiguous `rows × cols` matrix `z`:
  /// `z[i][j] ← z[i][j] + bias[j]`, then `a[i][j] = g(z[i][j])`, with `g` chosen by `kind`:
  /// 0 identity (`a` may equal `z`), 1 sigmoid, 2 tanh, 3 ReLU. Sigmoid and tanh give the bits of
  /// `sigmoid(_:_:count:)` and `tanh(_:_:count:)`.
  @inlinable
  public static func biasActivation(
    _ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>,
    rows: Int, cols: Int, kind: Int32
  ) {
    nn_s_bias_activation(rows, cols, z, bias, a, kind)
  }

  /// The bias and activation pass in double precision (see the `Float` form).
  @inlinable
  public static func biasActivation(
    _ z: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>,
    _ a: UnsafeMutablePointer<Double>, rows: Int, cols: Int, kind: Int32
  ) {
    nn_d_bias_activation(rows, cols, z, bias, a, kind)
  }
}

extension Kernels {
  /// The activation's share of back-propagation, `dZ[i] = dA[i]·g'(z[i])`, over `count` elements,
  /// with `g` chosen by `kind` (1 sigmoid `dA·(a·(1 − a))`, 2 tanh `dA·(1 − a·a)`, 3 ReLU
  /// `dA·(z > 0 ? 1 : 0)`, NaN `z` giving NaN), each product rounded as written: the bits of the
  /// plain scalar loop.
  @inlinable
  public static func activationBackward(
    z: UnsafePointer<Float>, a: UnsafePointer<Float>, dA: UnsafePointer<Float>,
    dZ: UnsafeMutablePointer<Float>, count: Int, kind: Int32
  ) {
    nn_s_activation_backward(count, z, a, dA, dZ, kind)
  }

  /// The activation's share of back-propagation in double precision (see the `Float` form).
  @inlinable
  public static func activationBackward(
    z: UnsafePointer<Double>, a: UnsafePointer<Double>, dA: UnsafePointer<Double>,
    dZ: UnsafeMutablePointer<Double>, count: Int, kind: Int32
  ) {
    nn_d_activation_backward(count, z, a, dA, dZ, kind)
  }
}
