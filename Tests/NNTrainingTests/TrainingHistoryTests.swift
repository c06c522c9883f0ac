import Testing

@testable import NNTraining

@Suite struct TrainingHistoryTests {
  @Test func keepsEveryEpochUpToItsCapacity() {
    let series = EpochSeries(values: [3, 1, 2, 4], capacity: 4)
    #expect(series.isExact && series.values == [3, 1, 2, 4] && series.epochs == 4)
  }

  @Test func thenMergesBucketsInPairsKeepingMinimumAndMaximum() {
    var series = EpochSeries(values: [3, 1, 2, 4], capacity: 4)
    series.append(0)
    #expect(series.epochsPerBucket == 2 && series.values == nil)
    #expect(series.minimums == [1, 2, 0] && series.maximums == [3, 4, 0])
    for value in [7.0, 5, 6, 9] { series.append(value) }
    // 9 epochs: buckets of 4 (4 buckets of 2 were full when the ninth came).
    #expect(series.epochs == 9 && series.epochsPerBucket == 4)
    #expect(series.minimums == [1, 0, 9] && series.maximums == [4, 7, 9])
  }

  @Test func perEpochValuesAreTheValuesWhileExact() {
    #expect(EpochSeries(values: [3, 1, 2], capacity: 4).perEpochValues == [3, 1, 2])
  }

  @Test func perEpochValuesOfBucketsKeepEachBucketsExtremesAndTheEpochCount() {
    // 5 epochs in buckets of 2: [3, 1] [2, 4] [0] → minimum first, then the maximum.
    let series = EpochSeries(values: [3, 1, 2, 4, 0], capacity: 4)
    #expect(series.perEpochValues == [1, 3, 2, 4, 0])
    var long = EpochSeries(capacity: 16)
    for epoch in 0..<1000 { long.append(Double(epoch % 7)) }
    let values = long.perEpochValues
    #expect(values.count == 1000 && values.min() == 0 && values.max() == 6)
  }

  @Test func neverHoldsMoreThanItsCapacity() {
    var series = EpochSeries(capacity: 16)
    for epoch in 0..<100_000 {
      series.append(Double(epoch))
      #expect(series.minimums.count <= 16)
    }
    #expect(series.epochsPerBucket == 8192 && series.minimums.first == 0)
    #expect(series.maximums.last == 99_999)
  }

  @Test func aNaNValueMarksItsBucket() {
    var series = EpochSeries(values: [1, 2], capacity: 2)
    series.append(.nan)
    series.append(3)
    #expect(series.minimums[1].isNaN && series.maximums[1].isNaN && series.minimums[0] == 1)
  }

  @Test func aStoredSeriesIsCheckedForConsistency() {
    #expect(
      EpochSeries(epochs: 5, epochsPerBucket: 2, minimums: [1, 2, 3], maximums: [1, 2, 3]) != nil)
    #expect(
      EpochSeries(epochs: 7, epochsPerBucket: 2, minimums: [1, 2, 3], maximums: [1, 2, 3]) == nil)
    #expect(EpochSeries(epochs: 3, epochsPerBucket: 3, minimums: [1], maximums: [1]) == nil)
    #expect(EpochSeries(epochs: 2, epochsPerBucket: 1, minimums: [1, 2], maximums: [1, 3]) == nil)
    #expect(EpochSeries(epochs: .max, epochsPerBucket: 2, minimums: [], maximums: []) == nil)
    #expect(
      EpochSeries(
        epochs: 4, epochsPerBucket: 1, minimums: [1, 2, 3, 4], maximums: [1, 2, 3, 4], capacity: 2)
        == nil)
  }

  @Test func recordsTheValidationLossOnlyWhenThereIsOne() {
    var history = TrainingHistory()
    history.record(EpochRecord(epoch: 1, loss: 0.5, learningRate: 0.1, elapsed: 0))
    #expect(history.validationLoss == nil && history.named.map(\.name) == ["loss"])
    history.record(
      EpochRecord(epoch: 2, loss: 0.25, validationLoss: 0.75, learningRate: 0.1, elapsed: 0))
    #expect(history.loss.values == [0.5, 0.25] && history.validationLoss?.values == [0.75])
  }
}
