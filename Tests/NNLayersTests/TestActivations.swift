import NNActivations
import NNProtocols

/// A user-written sigmoid with only the scalar forms, so the layers are also tested through the
/// protocol's default buffer implementations (the path a user's own activation takes).
struct UserSigmoid: Activation {
  var name: String { "user_sigmoid" }
  func value<S: NNScalar>(_ z: S) -> S { 1 / (1 + S.exp(-z)) }
  func derivative<S: NNScalar>(_ z: S, output a: S) -> S { a * (1 - a) }
}

/// The activation called `name`: a built-in of NNActivations, or `"user_sigmoid"`.
func testActivation(_ name: String) -> any Activation {
  switch name {
  case "identity": Identity()
  case "sigmoid": Sigmoid()
  case "tanh": Tanh()
  case "relu": ReLU()
  case "user_sigmoid": UserSigmoid()
  default: preconditionFailure("no test activation '\(name)'")
  }
}
