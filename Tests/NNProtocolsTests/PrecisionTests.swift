import NNProtocols
import Testing

@Suite struct PrecisionTests {
  /// The raw values are the words of `train precision=` and of a checkpoint's `precision` key, so
  /// they must not change.
  @Test func rawValuesAreTheWordsModelTextAndCheckpointsUse() {
    #expect(Precision.allCases.map(\.rawValue) == ["float", "double"])
    #expect(Precision(rawValue: "double") == .double)
    #expect(Precision(rawValue: "Float") == nil)
  }
}
