import Testing

@Test func placeholderNNLayers() {}
