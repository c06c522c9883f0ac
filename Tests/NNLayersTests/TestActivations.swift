import NNProtocols

// Test-only activations, so these tests do not depend on another module's built-ins.

/// `g(z) = z`.
struct TestIdentity: Activation {
  var name: String { "identity" }
  func value<S: NNScalar>(_ z: S) -> S { z }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 1 }
}

/// `σ(z) = 1 / (1 + e^−z)`, `σ' = a(1 − a)`.
struct TestSigmoid: Activation {
  var name: String { "sigmoid" }
  func value<S: NNScalar>(_ z: S) -> S { 1 / (1 + S.exp(-z)) }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { a * (1 - a) }
}

/// `tanh(z)`, `tanh' = 1 − a²`.
struct TestTanh: Activation {
  var name: String { "tanh" }
  func value<S: NNScalar>(_ z: S) -> S { S.tanh(z) }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { 1 - a * a }
}

/// `max(0, z)`, derivative 1 for z > 0 else 0.
struct TestReLU: Activation {
  var name: String { "relu" }
  func value<S: NNScalar>(_ z: S) -> S { z > 0 ? z : 0 }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { z > 0 ? 1 : 0 }
}

/// The test activation called `name`.
func testActivation(_ name: String) -> any Activation {
  switch name {
  case "identity": TestIdentity()
  case "sigmoid": TestSigmoid()
  case "tanh": TestTanh()
  case "relu": TestReLU()
  default: preconditionFailure("no test activation '\(name)'")
  }
}
