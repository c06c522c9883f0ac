import NNProtocols
import Testing

@testable import NNOptimizers

@Suite("HyperparameterCheck") struct HyperparameterCheckTests {
  @Test("messages use the registry's wording")
  func messages() {
    #expect {
      try HyperparameterCheck.fractionBelowOne(1, "beta1", of: "optimizer 'adam'")
    } throws: { error in
      (error as? InputError)?.message
        == "optimizer 'adam' option 'beta1': expected a real number in [0, 1), got 1"
    }
    #expect {
      try HyperparameterCheck.open(1, 1, .infinity, "eta_plus", of: "optimizer 'rprop'")
    } throws: { error in
      (error as? InputError)?.message
        == "optimizer 'rprop' option 'eta_plus': expected a real number > 1, got 1"
    }
  }

  @Test("boundaries: inclusive where stated, exclusive where stated, NaN never")
  func boundaries() throws {
    try HyperparameterCheck.nonNegative(0, "x", of: "c")
    try HyperparameterCheck.fraction(1, "x", of: "c")
    try HyperparameterCheck.fractionBelowOne(0, "x", of: "c")
    #expect(throws: InputError.self) { try HyperparameterCheck.positive(0, "x", of: "c") }
    #expect(throws: InputError.self) { try HyperparameterCheck.positive(.nan, "x", of: "c") }
    #expect(throws: InputError.self) {
      try HyperparameterCheck.nonNegative(.infinity, "x", of: "c")
    }
    #expect(throws: InputError.self) { try HyperparameterCheck.fraction(.nan, "x", of: "c") }
    #expect(throws: InputError.self) { try HyperparameterCheck.open(0, 0, 1, "x", of: "c") }
  }
}
