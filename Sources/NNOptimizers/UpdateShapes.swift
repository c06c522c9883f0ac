import NNProtocols

/// Checks one `update` call's matrices before its loop runs and returns their element count: the
/// gradient and each of the `slots` state matrices must be shaped like the parameter. A mismatch is
/// a programming error (`ParameterUpdater` builds the slots from `stateSlots`), so it traps, naming
/// the optimizer.
@_specialize(where S == Float)
@_specialize(where S == Double)
func checkedUpdateCount<S: NNScalar>(
  _ optimizer: String, _ parameter: Matrix<S>, gradient: Matrix<S>, state: [Matrix<S>], slots: Int
) -> Int {
  let count = parameter.count
  precondition(gradient.count == count, "\(optimizer): gradient and parameter sizes differ")
  precondition(
    state.count == slots && state.allSatisfy { $0.count == count },
    "\(optimizer): expected \(slots) state slots shaped like the parameter")
  return count
}
