import NNActivations
import NNLayers
import NNProtocols
import Testing

// `Workspace` is internal: its behaviour is observed through the layers that own one.
@Suite("Workspace")
struct WorkspaceTests {
  @Test func sameOrSmallerBatchesReuseTheMemoryAndLargerOnesGrowIt() {
    let layer = ActivationLayer<Float>(size: 3, activation: Sigmoid())
    let four = layer.forward(Matrix<Float>(rows: 4, cols: 3), phase: .training)
    let againFour = layer.forward(Matrix<Float>(rows: 4, cols: 3), phase: .training)
    let two = layer.forward(Matrix<Float>(rows: 2, cols: 3), phase: .training)
    #expect(againFour.base == four.base)
    #expect(two.base == four.base)
    #expect(two.shape == [2, 3])
    let eight = layer.forward(Matrix<Float>(rows: 8, cols: 3), phase: .training)
    #expect(eight.shape == [8, 3])
    // After growing, smaller batches view the new memory.
    #expect(layer.forward(Matrix<Float>(rows: 4, cols: 3), phase: .training).base == eight.base)
  }

  @Test func viewsAreOverwrittenNotStale() {
    // A smaller batch after a larger one must not see the larger batch's leftovers.
    let layer = Dense<Double>(weight: Matrix([[1, 1]]), bias: Matrix([[0.5]]), activation: ReLU())
    _ = layer.forward(Matrix([[1, 2], [3, 4], [5, 6]]), phase: .training)
    let small = layer.forward(Matrix([[-1, -1]]), phase: .training)
    #expect(small.scalars == [0])  // relu(−2 + 0.5)
  }

  @Test func copiesHaveTheirOwnWorkspaces() {
    let layer = Softmax<Double>(size: 2)
    let copy = layer.copy()
    let a = layer.forward(Matrix([[0, 1]]), phase: .training)
    let b = copy.forward(Matrix([[1, 0]]), phase: .training)
    #expect(a.base != b.base)
    #expect(a[0, 1] == b[0, 0])
  }
}
