import Testing

@Test func placeholderNNKernels() {}
