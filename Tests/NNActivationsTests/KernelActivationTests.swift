import NNActivations
import NNProtocols
import Testing

@Suite("kernel activations")
struct KernelActivationTests {
  static let activations: [any KernelActivation] = [Sigmoid(), Tanh(), ReLU()]

  @Test func theFusedKernelIsTheStatedKernel() {
    #expect(Sigmoid().kernel == .sigmoid)
    #expect(Tanh().kernel == .tanh)
    #expect(ReLU().kernel == .relu)
    for activation in Self.activations {
      #expect(activation.fusedKernel == activation.kernel, "\(activation.name)")
    }
  }

  @Test(arguments: activations.indices)
  func backwardMatchesTheScalarDerivative(index: Int) {
    let activation = Self.activations[index]
    let z: [Double] = [-3, -0.5, 0.25, 1, 4]
    let a = z.map { activation.value($0) }
    let dA: [Double] = [0.5, -1, 2, 0.75, -0.25]
    var dZ = [Double](repeating: .nan, count: z.count)
    dZ.withUnsafeMutableBufferPointer { out in
      activation.backward(z, a, dA, out.baseAddress!, count: z.count)
    }
    for i in z.indices {
      let expected = dA[i] * activation.derivative(z[i], output: a[i])
      #expect(abs(dZ[i] - expected) <= 1e-12, "\(activation.name) at z = \(z[i])")
    }
  }
}
