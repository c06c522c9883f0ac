import NNProtocols
import NNTestSupport
import Testing

@testable import NNOptimizers

@Suite("GradientArithmetic") struct GradientArithmeticTests {
  @Test("sum of squares, every remainder length, Float and Double")
  func sumOfSquares() {
    for count in 0..<11 {
      // 1² + 2² + … + n² = n(n + 1)(2n + 1)/6
      let expected = Double(count * (count + 1) * (2 * count + 1)) / 6
      let doubles = Matrix<Double>(
        rows: 1, cols: count, scalars: (0..<count).map { Double($0 + 1) })
      let floats = Matrix<Float>(rows: 1, cols: count, scalars: (0..<count).map { Float($0 + 1) })
      #expect(GradientArithmetic.sumOfSquares(doubles.base, count: count) == expected)
      #expect(GradientArithmetic.sumOfSquares(floats.base, count: count) == expected)
    }
  }

  @Test("a Float sum is accumulated in Double")
  func accumulatesInDouble() {
    // 4096² = 2²⁴, then 400 ones: a Float sum stays at 2²⁴ (2²⁴ + 1 is not a Float).
    let values = [Float(4096)] + Array(repeating: 1, count: 400)
    let x = Matrix<Float>(rows: 1, cols: values.count, scalars: values)
    #expect(GradientArithmetic.sumOfSquares(x.base, count: values.count) == 16_777_216 + 400)
  }

  @Test("y += a·x and y *= a")
  func axpyAndScale() {
    let x = Matrix<Double>([[1, 2, 3]])
    let y = Matrix<Double>([[10, 20, 30]])
    GradientArithmetic.addScaled(0.5, x.base, to: y.base, count: 3)
    #expect(y.scalars == [10.5, 21, 31.5])
    GradientArithmetic.scale(y.base, by: 2, count: 3)
    #expect(y.scalars == [21, 42, 63])
  }
}
