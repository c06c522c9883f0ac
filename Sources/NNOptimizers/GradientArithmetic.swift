import NNProtocols

/// The whole-buffer loops `ParameterUpdater` runs over gradients: the squared norm, `y += a·x` and
/// `y *= a`. Specialized for `Float` and `Double`, so a call from generic code runs the compiled loop
/// rather than one generic call per element.
enum GradientArithmetic {
  /// `Σ x[i]²` over `count` elements, accumulated in `Double`.
  ///
  /// Four independent partial sums let the processor overlap the additions (one running sum waits for
  /// the previous addition at every element).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func sumOfSquares<S: NNScalar>(_ x: UnsafePointer<S>, count: Int) -> Double {
    var partial0 = 0.0
    var partial1 = 0.0
    var partial2 = 0.0
    var partial3 = 0.0
    var i = 0
    while i + 4 <= count {
      let a = Double(x[i])
      let b = Double(x[i + 1])
      let c = Double(x[i + 2])
      let d = Double(x[i + 3])
      partial0 += a * a
      partial1 += b * b
      partial2 += c * c
      partial3 += d * d
      i += 4
    }
    while i < count {
      let a = Double(x[i])
      partial0 += a * a
      i += 1
    }
    return (partial0 + partial1) + (partial2 + partial3)
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
