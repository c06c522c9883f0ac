import NNKernels

/// `--threads N`, shared by the commands that multiply large matrices (`run`, `predict`, `evaluate`,
/// `bench`): the number of threads a large product may use, like PyTorch's `torch.set_num_threads`.
let threadsArgument = ArgumentSpec(
  "threads", .option(valueName: "n", repeatable: false),
  help:
    "Threads for large matrix products, 1…\(Kernels.maximumThreadCount) (default: the cores this"
    + " process may use).")

/// Applies `--threads` when given; an out-of-range or non-numeric value is a usage error naming it,
/// as `train threads=` refuses the same values (both take at most `Kernels.maximumThreadCount`).
func applyThreadsOption(_ arguments: ParsedArguments) throws {
  if let threads = try arguments.integer("threads", in: 1...Kernels.maximumThreadCount) {
    Kernels.threadCount = threads
  }
}
