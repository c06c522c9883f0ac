import NNLayers
import NNProtocols
import Testing

@Suite("NormalInitializer")
struct NormalInitializerTests {
  @Test func defaultIsStandardNormal() {
    let w = fillTwice(NormalInitializer(), fanIn: 250, fanOut: 200)
    expectMoments(of: w, mean: 0, variance: 1, kurtosis: 3)
  }

  @Test func tutorialScaleIsStdPointTwo() {
    let w = fillTwice(NormalInitializer(std: 0.2), fanIn: 250, fanOut: 200)
    expectMoments(of: w, mean: 0, variance: 0.04, kurtosis: 3)
  }

  @Test func meanAndStdAreHonoured() {
    let w = fillTwice(NormalInitializer(mean: 3, std: 0.5), fanIn: 250, fanOut: 200, as: Float.self)
    expectMoments(of: w, mean: 3, variance: 0.25, kurtosis: 3)
    #expect(NormalInitializer().name == "normal")
  }

  @Test func floatValuesAreTheDoubleValuesRounded() {
    let double = fillTwice(NormalInitializer(std: 0.2), fanIn: 30, fanOut: 20)
    let float = fillTwice(NormalInitializer(std: 0.2), fanIn: 30, fanOut: 20, as: Float.self)
    #expect(float.scalars == double.scalars.map { Float($0) })
  }
}
