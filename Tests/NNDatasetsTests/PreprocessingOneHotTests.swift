import NNDatasets
import NNProtocols
import Testing

@Suite("one-hot encoding")
struct PreprocessingOneHotTests {
  @Test func oneHotAndBack() {
    let targets = Matrix<Double>([[2], [0], [1], [2]])
    let encoded = Preprocessing.oneHot(targets, classes: 3)
    #expect(encoded.shape == [4, 3])
    #expect(encoded.scalars == [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1])
    #expect(Preprocessing.classIndices(ofOneHot: encoded).elementsEqual(targets))
  }

  @Test func classIndicesOfProbabilitiesPickTheLargest() {
    let probabilities = Matrix<Double>([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])
    #expect(Preprocessing.classIndices(ofOneHot: probabilities).scalars == [1, 0])
  }
}
