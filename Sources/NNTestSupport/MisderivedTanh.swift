import NNProtocols

/// tanh whose derivative is off by `factor`: a back-propagation bug a gradient check must catch.
/// With `factor` 1 it is tanh itself.
public struct MisderivedTanh: Activation {
  /// The factor the derivative is multiplied by.
  public var factor: Double

  /// A tanh whose derivative is `factor·(1 − a²)`.
  public init(factor: Double) {
    self.factor = factor
  }

  /// `"misderived_tanh"`.
  public var name: String { "misderived_tanh" }
  /// `tanh(z)`.
  public func value<S: NNScalar>(_ z: S) -> S { S.tanh(z) }
  /// `factor·(1 − a²)`: wrong unless `factor` is 1.
  public func derivative<S: NNScalar>(_ z: S, output a: S) -> S { S(factor) * (1 - a * a) }
}

extension ComponentRegistry {
  /// Registers `misderived_tanh(factor=1.01)`, a `MisderivedTanh`, for tests of gradient checks.
  public mutating func registerMisderivedTanh() throws {
    try registerActivation(
      "misderived_tanh", summary: "tanh with a derivative off by a factor",
      options: [
        OptionSpec(
          "factor", .real(minimum: 0, maximum: 10), default: .real(1.01), help: "the error factor")
      ]
    ) { options in MisderivedTanh(factor: options.real("factor")) }
  }
}
