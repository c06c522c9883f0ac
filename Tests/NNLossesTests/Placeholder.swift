import Testing

@Test func placeholderNNLosses() {}
