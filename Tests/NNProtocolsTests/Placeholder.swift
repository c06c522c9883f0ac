import Testing

@Test func placeholderNNProtocols() {}
