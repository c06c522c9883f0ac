import NNDatasets
import NNProtocols
import Testing

@Suite("split")
struct PreprocessingSplitTests {
  /// `counts[c]` samples of class `c`; feature = the sample's index, so samples can be traced.
  func classified(_ counts: [Int]) -> Dataset {
    let labels = counts.enumerated().flatMap { c, n in [Double](repeating: Double(c), count: n) }
    return Dataset(
      name: "classes.csv",
      features: Matrix(rows: labels.count, cols: 1, scalars: labels.indices.map(Double.init)),
      targets: Matrix(rows: labels.count, cols: 1, scalars: labels),
      classNames: counts.indices.map { "c\($0)" })
  }

  func ids(_ data: Dataset) -> [Double] { column(data.features, 0) }

  @Test func stratifiedSplitKeepsProportions() throws {
    let data = try CSVReader().read(path: "iris.csv", baseDirectory: dataFolder)
    var generator = SeededGenerator(seed: 1)
    let split = try Preprocessing.split(data, validation: 0.2, test: 0.2, generator: &generator)
    #expect(split.train.count == 90)
    #expect(split.validation.count == 30)
    #expect(split.test.count == 30)
    #expect(classCounts(split.train) == [30, 30, 30])
    #expect(classCounts(split.validation) == [10, 10, 10])
    #expect(classCounts(split.test) == [10, 10, 10])
    #expect(split.test.classNames == data.classNames)
  }

  @Test func unevenClassesStayWithinOneSampleOfTheirShare() throws {
    let data = classified([50, 30, 20])
    var generator = SeededGenerator(seed: 5)
    let split = try Preprocessing.split(data, test: 0.25, generator: &generator)
    #expect(split.test.count == 25)
    let expected = [12.5, 7.5, 5]
    for (count, share) in zip(classCounts(split.test), expected) {
      #expect(abs(Double(count) - share) <= 1)
    }
  }

  @Test func partsAreDisjointAndCoverEverySample() throws {
    let data = classified([40, 37, 23])
    var generator = SeededGenerator(seed: 2)
    let split = try Preprocessing.split(data, validation: 0.15, test: 0.1, generator: &generator)
    let all = ids(split.train) + ids(split.validation) + ids(split.test)
    #expect(all.sorted() == (0..<100).map(Double.init))
    #expect(split.validation.count == 15)
    #expect(split.test.count == 10)
  }

  @Test func sameSeedSameSplit() throws {
    let data = classified([30, 30])
    var a = SeededGenerator(seed: 7)
    var b = SeededGenerator(seed: 7)
    var c = SeededGenerator(seed: 8)
    let first = try Preprocessing.split(data, validation: 0.3, generator: &a)
    #expect(
      ids(try Preprocessing.split(data, validation: 0.3, generator: &b).validation)
        == ids(first.validation))
    #expect(
      ids(try Preprocessing.split(data, validation: 0.3, generator: &c).validation)
        != ids(first.validation))
  }

  @Test func withoutShuffleTheLastSamplesAreHeldOut() throws {
    let regression = Dataset(
      name: "r", features: Matrix(rows: 10, cols: 1, scalars: (0..<10).map(Double.init)),
      targets: Matrix(rows: 10, cols: 1))
    var generator = SeededGenerator(seed: 1)
    let split = try Preprocessing.split(
      regression, validation: 0.2, test: 0.1, shuffle: false, generator: &generator)
    #expect(ids(split.train) == [0, 1, 2, 3, 4, 5, 6])
    #expect(ids(split.validation) == [7, 8])
    #expect(ids(split.test) == [9])
    // Stratified without shuffling: each class's last samples, in file order.
    let stratified = try Preprocessing.split(
      classified([4, 4]), test: 0.25, shuffle: false, generator: &generator)
    #expect(ids(stratified.test) == [3, 7])
    #expect(ids(stratified.train) == [0, 1, 2, 4, 5, 6])
  }

  @Test func aPositiveFractionGetsAtLeastOneSample() throws {
    var generator = SeededGenerator(seed: 1)
    let split = try Preprocessing.split(classified([10, 10]), test: 0.01, generator: &generator)
    #expect(split.test.count == 1)
    #expect(split.validation.count == 0)
  }

  @Test func emptyTrainingPartIsAnError() {
    var generator = SeededGenerator(seed: 1)
    let error = inputError {
      try Preprocessing.split(
        classified([2, 2]), validation: 0.5, test: 0.5, generator: &generator)
    }
    #expect(
      error?.description
        == "classes.csv: error: split validation=0.5 test=0.5 of 4 samples holds out 4 and leaves"
        + " the training part empty; expected at least one training sample\nnote: use smaller"
        + " fractions or more data")
  }

  @Test func classesTooSmallToStratify() {
    // 3 samples: the test part takes one of class c0, and each class must keep one for training,
    // so nothing is left for validation.
    var generator = SeededGenerator(seed: 1)
    let error = inputError {
      try Preprocessing.split(
        classified([2, 1]), validation: 0.4, test: 0.4, generator: &generator)
    }
    #expect(
      error?.message
        == "split: the validation part gets no sample: stratified, every class keeps one sample for"
        + " training and these classes are too small to spare one")
  }

  @Test func fractionsOutOfRange() {
    var generator = SeededGenerator(seed: 1)
    #expect(
      inputError { try Preprocessing.split(classified([5]), test: 1, generator: &generator) }?
        .description
        == "classes.csv: error: split: test=1 is out of range; expected a fraction in [0, 1)")
  }

  @Test func unseenClassInTheTestPartIsAnError() {
    // Not stratified, no shuffle: the test part is the last sample, the only one of class c2.
    var generator = SeededGenerator(seed: 1)
    let error = inputError {
      try Preprocessing.split(
        classified([5, 4, 1]), test: 0.1, stratify: false, shuffle: false, generator: &generator)
    }
    #expect(
      error?.description
        == "classes.csv: error: class 'c2' appears in the test part (1 sample) but never in the"
        + " training part; expected every class to be seen in training\nnote: use stratify=true, a"
        + " smaller test fraction, or more samples of that class")
  }
}
