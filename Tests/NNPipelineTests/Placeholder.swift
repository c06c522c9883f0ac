import Testing

@Test func placeholderNNPipeline() {}
