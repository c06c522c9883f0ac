import Testing

@Test func placeholderNNActivations() {}
