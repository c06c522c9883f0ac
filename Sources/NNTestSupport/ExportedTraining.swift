/// The gradient checker (`GradientChecker`, `TensorGradientCheck`, `GradientReport`) is a product
/// feature (`nnpipe gradcheck`) and lives in NNTraining; tests that import NNTestSupport keep
/// finding it here.
@_exported import NNTraining
