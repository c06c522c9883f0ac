import NNLayers
import NNProtocols
import Testing

@Suite("Constant initializers")
struct ConstantInitializersTests {
  @Test func zerosFillsExactZerosAndDrawsNothing() {
    let w = Matrix<Double>(rows: 3, cols: 4)
    w.fill(7)
    var generator = SeededGenerator(seed: 1)
    let before = generator
    ZerosInitializer().fill(w, fanIn: 4, fanOut: 3, using: &generator)
    #expect(w.scalars == Array(repeating: 0, count: 12))
    #expect(generator == before)
    #expect(ZerosInitializer().name == "zeros")
  }

  @Test func constantFillsExactlyTheValue() {
    let w = Matrix<Float>(rows: 2, cols: 5)
    var generator = SeededGenerator(seed: 1)
    let before = generator
    ConstantInitializer(value: 0.1).fill(w, fanIn: 5, fanOut: 2, using: &generator)
    #expect(w.scalars == Array(repeating: Float(0.1), count: 10))
    #expect(generator == before)
    #expect(ConstantInitializer(value: 2).name == "constant")
  }
}
