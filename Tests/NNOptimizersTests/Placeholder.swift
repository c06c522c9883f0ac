import Testing

@Test func placeholderNNOptimizers() {}
