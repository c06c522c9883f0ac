/// The precision a run computes in: the `NNScalar` its matrices hold.
///
/// The model language reads it from `train precision=`; a checkpoint records it (and stores its
/// tensors as `F32` or `F64` to match).
public enum Precision: String, Sendable, Equatable, CaseIterable {
  /// 32-bit `Float`: the default, fast.
  case float
  /// 64-bit `Double`: exact, as the tutorials' NumPy code.
  case double
}
