import NNActivations
import NNProtocols
import NNTestSupport
import Testing

@Suite("identity")
struct IdentityTests {
  @Test("g(z) = z, g'(z) = 1")
  func knownValues() {
    for z in [0, 2.5, -7.25, 1e4] { expectKnown(Identity(), at: z, value: z, derivative: 1) }
  }

  @Test("special values pass through unchanged, signed zero and infinities included")
  func specials() {
    for z in specialValues {
      #expect(isIdentical(Identity().value(z), z))
      #expect(isIdentical(bufferPath(Identity(), at: [z]).values[0], z))
    }
    #expect(Identity().derivative(Double.infinity, output: .infinity) == 1)
    #expect(Identity().derivative(Double.nan, output: .nan).isNaN)
  }

  @Test("backward passes dA through, except where z is NaN")
  func backwardPassesGradient() {
    let z: [Double] = [1, .nan, -3]
    let dA: [Double] = [0.5, 0.25, -2]
    var dZ = [Double](repeating: 0, count: 3)
    dZ.withUnsafeMutableBufferPointer { out in
      Identity().backward(z, z, dA, out.baseAddress!, count: 3)
    }
    #expect(dZ[0] == 0.5 && dZ[1].isNaN && dZ[2] == -2)
  }

  @Test("'linear' is an alias")
  func alias() throws {
    #expect(try makeActivation("linear") is Identity)
  }
}
