import Testing

@Test func placeholderNNDatasets() {}
