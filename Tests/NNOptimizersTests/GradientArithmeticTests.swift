import NNProtocols
import NNTestSupport
import Testing

@testable import NNOptimizers

@Suite("GradientArithmetic") struct GradientArithmeticTests {
  @Test("sum of squares, every remainder length and across blocks, Float and Double")
  func sumOfSquares() {
    for count in Array(0..<40) + [255, 256, 257, 263, 513, 1000] {
      // Small integers: every partial sum is exact in Float and Double, so the order of the
      // additions (lanes, blocks) cannot change the result.
      let values = (0..<count).map { Double($0 % 7) - 3 }
      let expected = values.reduce(0) { $0 + $1 * $1 }
      let doubles = Matrix<Double>(rows: 1, cols: count, scalars: values)
      let floats = Matrix<Float>(rows: 1, cols: count, scalars: values.map { Float($0) })
      #expect(GradientArithmetic.sumOfSquares(doubles.base, count: count) == expected)
      #expect(GradientArithmetic.sumOfSquares(floats.base, count: count) == expected)
    }
  }

  @Test("a Float sum does not stall: blocks are added in Double")
  func accumulatesInDouble() {
    // One block of 256 values 256 (256·256² = 2²⁴), then 100 blocks of ones. A Float running sum
    // stays at 2²⁴ (2²⁴ + 1 is not a Float); blocks of 256 summed in Double give the exact total.
    let values = Array(repeating: Float(256), count: 256) + Array(repeating: 1, count: 25_600)
    let x = Matrix<Float>(rows: 1, cols: values.count, scalars: values)
    #expect(GradientArithmetic.sumOfSquares(x.base, count: values.count) == 16_777_216 + 25_600)
    var floatSum: Float = 0
    for value in values { floatSum += value * value }
    #expect(floatSum == 16_777_216)  // what a plain Float loop would give
  }

  @Test("within a block, the error stays near Float precision")
  func blockRounding() {
    // 4096² then 400 ones in the same blocks: each lane adds up to 32 terms in Float.
    let values = [Float(4096)] + Array(repeating: 1, count: 400)
    let x = Matrix<Float>(rows: 1, cols: values.count, scalars: values)
    let sum = GradientArithmetic.sumOfSquares(x.base, count: values.count)
    #expect(abs(sum - (16_777_216 + 400)) / (16_777_216 + 400) < 32 * Double(Float.ulpOfOne))
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
