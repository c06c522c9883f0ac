import NNKernels

/// `--threads N`, shared by the commands that multiply large matrices (`run`, `predict`, `evaluate`,
/// `bench`): the number of threads a large product may use, like PyTorch's `torch.set_num_threads`.
/// An out-of-range or non-numeric value is a usage error naming it, as `train threads=` refuses the
/// same values (both take at most `Kernels.maximumThreadCount`).
///
/// The count is a value, not a process setting: a command passes it to what it runs (`RunOptions
/// .threads`) or runs its work inside `withThreads`, and the count in force before the command is
/// back when it returns.
let threadsArgument = Argument.integer(
  "threads", in: 1...Kernels.maximumThreadCount,
  help:
    "Threads for large matrix products, 1…\(Kernels.maximumThreadCount) (default: the cores this"
    + " process may use).")

/// Runs `body` with the kernels' thread count set to `threads` on this thread (`nil`: unchanged),
/// restoring the previous count afterwards (`Kernels.withThreadCount`).
func withThreads<Result>(_ threads: Int?, _ body: () throws -> Result) rethrows -> Result {
  try Kernels.withThreadCount(threads, body)
}
