import NNProtocols

/// The whole-buffer loops `ParameterUpdater` runs over gradients: the squared norm, `y += a·x` and
/// `y *= a`. Specialized for `Float` and `Double`, so a call from generic code runs the compiled loop
/// rather than one generic call per element.
enum GradientArithmetic {
  /// `Σ x[i]²` over `count` elements, accumulated in `Double`.
  ///
  /// Float and Double go through explicit vector code (eight or four lanes at a time): a plain loop
  /// adding into one running sum cannot be vectorized, because reordering floating-point additions
  /// changes the result, and it would run at one element per addition latency.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func sumOfSquares<S: NNScalar>(_ x: UnsafePointer<S>, count: Int) -> Double {
    if S.self == Float.self {
      return sumOfSquares(floats: UnsafeRawPointer(x).assumingMemoryBound(to: Float.self), count)
    }
    if S.self == Double.self {
      return sumOfSquares(doubles: UnsafeRawPointer(x).assumingMemoryBound(to: Double.self), count)
    }
    var total = 0.0
    for i in 0..<count { total += Double(x[i]) * Double(x[i]) }
    return total
  }

  /// `Σ x[i]²` for `Float`: eight lanes summed in `Float` over blocks of 256 elements (32 terms per
  /// lane, so the rounding error stays near `Float`'s precision), the blocks summed in `Double`.
  private static func sumOfSquares(floats x: UnsafePointer<Float>, _ count: Int) -> Double {
    let raw = UnsafeRawPointer(x)
    var total = 0.0
    var i = 0
    while i + 8 <= count {
      let blockEnd = i + (Swift.min(count - i, 256) & ~7)
      var lanes = SIMD8<Float>()
      while i < blockEnd {
        let v = raw.loadUnaligned(
          fromByteOffset: i * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
        lanes += v * v
        i += 8
      }
      total += Double(lanes.sum())
    }
    while i < count {
      total += Double(x[i]) * Double(x[i])
      i += 1
    }
    return total
  }

  /// `Σ x[i]²` for `Double`, four lanes at a time.
  private static func sumOfSquares(doubles x: UnsafePointer<Double>, _ count: Int) -> Double {
    let raw = UnsafeRawPointer(x)
    var lanes = SIMD4<Double>()
    var i = 0
    while i + 4 <= count {
      let v = raw.loadUnaligned(
        fromByteOffset: i * MemoryLayout<Double>.stride, as: SIMD4<Double>.self)
      lanes += v * v
      i += 4
    }
    var total = lanes.sum()
    while i < count {
      total += x[i] * x[i]
      i += 1
    }
    return total
  }

  /// `y[i] += a · x[i]` over `count` elements.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func addScaled<S: NNScalar>(
    _ a: S, _ x: UnsafePointer<S>, to y: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { y[i] += a * x[i] }
  }

  /// `y[i] *= a` over `count` elements.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func scale<S: NNScalar>(_ y: UnsafeMutablePointer<S>, by a: S, count: Int) {
    for i in 0..<count { y[i] *= a }
  }
}
