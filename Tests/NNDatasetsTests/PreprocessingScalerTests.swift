import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("scaler")
struct PreprocessingScalerTests {
  /// 3 columns: spread out, large offset, constant.
  let training = Matrix<Double>([[1, 1000, 7], [2, 1010, 7], [3, 1020, 7], [10, 990, 7]])

  @Test func standardizedTrainingColumnsHaveMeanZeroAndStdOne() {
    let scaler = Scaler.fit(.standardize, to: training)
    let scaled = scaler.transform(training)
    for c in 0..<2 {
      let values = column(scaled, c)
      let mean = values.reduce(0, +) / 4
      let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
      #expect(abs(mean) < 1e-12)
      #expect(abs(std - 1) < 1e-12)
    }
    // Statistics written out: mean 4, population std √12.5.
    #expect(scaler.offset[0] == 4)
    #expect(isApproximatelyEqual(scaler.scale[0], 12.5.squareRoot()))
  }

  @Test func constantColumnIsShiftedNotDividedByZero() {
    for kind in [Scaler.Kind.standardize, .minmax] {
      let scaler = Scaler.fit(kind, to: training)
      #expect(scaler.scale[2] == 1)
      #expect(column(scaler.transform(training), 2) == [0, 0, 0, 0])
    }
  }

  @Test func minMaxTrainingColumnsSpanZeroToOne() {
    let scaled = Scaler.fit(.minmax, to: training).transform(training)
    #expect(column(scaled, 0) == [0, 1.0 / 9, 2.0 / 9, 1])
    #expect(column(scaled, 1) == [1.0 / 3, 2.0 / 3, 1, 0])
  }

  @Test func statisticsComeFromTheTrainingPartOnly() {
    let scaler = Scaler.fit(.minmax, to: training)
    let newData = Matrix<Double>([[19, 1030, 8]])
    // New data is scaled with the training statistics, so it may fall outside [0, 1].
    #expect(scaler.transform(newData).scalars == [2, 4.0 / 3, 1])
    // The training matrix itself is left untouched by transform.
    #expect(training[0, 0] == 1)
  }

  @Test func inverseTransformUndoesTransform() {
    let scaler = Scaler.fit(.standardize, to: training)
    let back = scaler.inverseTransform(scaler.transform(training))
    #expect(isApproximatelyEqual(back, training, relative: 1e-14))
  }

  @Test func noneChangesNothing() {
    let scaler = Scaler.fit(.none, to: training)
    #expect(scaler.transform(training).elementsEqual(training))
    #expect(scaler.offset == [0, 0, 0])
  }

  @Test func serializationRoundTrips() throws {
    let scaler = Scaler.fit(.standardize, to: training)
    let fromJSON = try Scaler(jsonText: scaler.jsonText, source: "model.safetensors")
    #expect(fromJSON == scaler)
    #expect(scaler.jsonText.hasPrefix("{\"kind\":\"standardize\",\"offset\":[4,"))
    let fromArrays = try Scaler(kind: scaler.kind, arrays: scaler.arrays, source: "model")
    #expect(fromArrays == scaler)
    #expect(fromArrays.transform(training).elementsEqual(scaler.transform(training)))
  }

  @Test func corruptedStatisticsAreErrors() {
    #expect(
      inputError {
        try Scaler(jsonText: "{\"kind\":\"minmax\",\"offset\":[1,2],\"scale\":[1]}", source: "m")
      }?.description
        == "m: error: scaler statistics: 'offset' has 2 values but 'scale' has 1; expected one of"
        + " each per column")
    #expect(
      inputError {
        try Scaler(kind: .minmax, arrays: ["offset": [0], "scale": [0]], source: "m")
      }?.message == "scaler statistics: expected finite offsets and finite, non-zero scales")
    #expect(
      inputError { try Scaler(jsonText: "{\"kind\":\"zscore\"}", source: "m") }?.message
        == "invalid scaler statistics: expected JSON {\"kind\": \"none|standardize|minmax\","
        + " \"offset\": [numbers], \"scale\": [numbers]}")
  }
}
