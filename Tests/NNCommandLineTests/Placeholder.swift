import Testing

@Test func placeholderNNCommandLine() {}
