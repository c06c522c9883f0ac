import Foundation
import NNONNX
import NNProtocols
import NNTestSupport
import Testing

@testable import NNONNXTestSupport

@Suite struct ONNXReferenceEvaluatorTests {
  /// A model of one node `y = opType(inputs…)`, whose inputs are graph inputs `a`, `b`, `c`… of the given
  /// types (shapes left unknown).
  static func single(
    _ opType: String, inputs: [ONNXDataType], attributes: [ONNXAttribute] = [],
    initializers: [ONNXTensor] = [], opset: Int = 17
  ) -> ONNXModel {
    let names = inputs.indices.map { String(UnicodeScalar(UInt8(97 + $0))) }
    return ONNXModel(
      irVersion: 8, opsetImports: [ONNXOperatorSet(domain: "", version: opset)],
      producerName: "test",
      producerVersion: "",
      graph: ONNXGraph(
        name: "g",
        nodes: [
          ONNXNode(
            name: "node", opType: opType, inputs: names + initializers.map(\.name), outputs: ["y"],
            attributes: attributes)
        ], initializers: initializers,
        inputs: zip(names, inputs).map { ONNXValueInfo(name: $0, elementType: $1, shape: nil) },
        outputs: [ONNXValueInfo(name: "y", elementType: inputs.first ?? .float, shape: nil)]))
  }

  static func run(_ model: ONNXModel, _ feeds: [ONNXArray]) throws -> ONNXArray {
    let names = model.graph.inputs.map(\.name)
    return try ONNXReferenceEvaluator(model).run(
      Dictionary(uniqueKeysWithValues: zip(names, feeds)))["y"]!
  }

  static func matrix(_ rows: [[Double]], _ type: ONNXDataType = .double) -> ONNXArray {
    ONNXArray(rows: rows, elementType: type)
  }

  static func vector(_ values: [Double], _ type: ONNXDataType = .double) -> ONNXArray {
    ONNXArray(shape: [values.count], elementType: type, scalars: values)
  }

  @Test func broadcastsLikeNumPy() throws {
    let add = Self.single("Add", inputs: [.double, .double])
    // [2, 3] + [3]: the row is added to every row.
    let sum = try Self.run(
      add, [Self.matrix([[1, 2, 3], [4, 5, 6]]), Self.vector([10, 20, 30])])
    #expect(sum == Self.matrix([[11, 22, 33], [14, 25, 36]]))
    // [2, 1] · [1, 3] → [2, 3], an outer product.
    let mul = Self.single("Mul", inputs: [.double, .double])
    let outer = try Self.run(mul, [Self.matrix([[1], [2]]), Self.matrix([[3, 4, 5]])])
    #expect(outer == Self.matrix([[3, 4, 5], [6, 8, 10]]))
    // A scalar broadcasts everywhere.
    let div = Self.single("Div", inputs: [.double, .double])
    let scalar = ONNXArray(shape: [], elementType: .double, scalars: [4])
    #expect(try Self.run(div, [Self.matrix([[8, 2]]), scalar]) == Self.matrix([[2, 0.5]]))
    let sub = Self.single("Sub", inputs: [.double, .double])
    #expect(try Self.run(sub, [scalar, Self.vector([1, 5])]) == Self.vector([3, -1]))
  }

  @Test func incompatibleShapesNameTheNode() throws {
    let add = Self.single("Add", inputs: [.double, .double])
    #expect(
      throws: InputError("node 'node' (Add): shapes [2, 3] and [2] do not broadcast")
    ) { try Self.run(add, [Self.matrix([[1, 2, 3], [4, 5, 6]]), Self.vector([1, 2])]) }
    let mixed = Self.single("Add", inputs: [.double, .float])
    #expect(throws: InputError("node 'node' (Add): inputs are DOUBLE and FLOAT")) {
      try Self.run(mixed, [Self.vector([1]), Self.vector([1], .float)])
    }
  }

  @Test func gemmWithTranspositionsAlphaBetaAndBias() throws {
    // A = [[1, 2], [3, 4]] stored transposed; B = [[1, 0, 2], [0, 1, 3]] stored transposed.
    let gemm = Self.single(
      "Gemm", inputs: [.double, .double, .double],
      attributes: [
        ONNXAttribute("transA", .int(1)), ONNXAttribute("transB", .int(1)),
        ONNXAttribute("alpha", .float(2)), ONNXAttribute("beta", .float(0.5)),
      ])
    let a = Self.matrix([[1, 3], [2, 4]])
    let b = Self.matrix([[1, 0], [0, 1], [2, 3]])
    let c = Self.vector([10, 20, 30])
    // A·B = [[1, 2, 8], [3, 4, 18]]; 2·A·B + 0.5·c = [[7, 14, 31], [11, 18, 51]].
    #expect(try Self.run(gemm, [a, b, c]) == Self.matrix([[7, 14, 31], [11, 18, 51]]))
    let matmul = Self.single("MatMul", inputs: [.double, .double])
    #expect(
      try Self.run(
        matmul, [Self.matrix([[1, 2], [3, 4]]), Self.matrix([[1, 0, 2], [0, 1, 3]])])
        == Self.matrix([[1, 2, 8], [3, 4, 18]]))
    #expect(
      throws: InputError(
        "node 'node' (MatMul): cannot multiply [1, 2] by [3, 1] (inner sizes 2 and 3)")
    ) { try Self.run(matmul, [Self.matrix([[1, 2]]), Self.matrix([[1], [2], [3]])]) }
  }

  @Test func softmaxAndLogSoftmax() throws {
    let x = Self.matrix([[1, 2, 3], [1000, 1000, 1000]])
    let softmax = try Self.run(Self.single("Softmax", inputs: [.double]), [x])
    let total = exp(1.0) + exp(2.0) + exp(3.0)
    let expected = [exp(1) / total, exp(2) / total, exp(3) / total, 1.0 / 3, 1.0 / 3, 1.0 / 3]
    // No overflow at 1000: the row's largest value is subtracted first.
    #expect(zip(softmax.scalars, expected).allSatisfy { abs($0 - $1) < 1e-15 })
    let logSoftmax = try Self.run(Self.single("LogSoftmax", inputs: [.double]), [x])
    #expect(zip(logSoftmax.scalars, expected).allSatisfy { abs($0 - log($1)) < 1e-14 })
    // Along axis 0: each column sums to 1.
    let columns = try Self.run(
      Self.single("Softmax", inputs: [.double], attributes: [ONNXAttribute("axis", .int(0))]),
      [Self.matrix([[0, 1], [0, 3]])])
    #expect(abs(columns.scalars[0] - 0.5) < 1e-15)
    #expect(abs(columns.scalars[1] + columns.scalars[3] - 1) < 1e-15)
    #expect(columns.scalars[3] > columns.scalars[1])
  }

  @Test func unaryOperatorsAtSpecialValues() throws {
    let x = Self.vector([-1000, -1, 0, 1, 1000])
    func run(_ op: String, _ attributes: [ONNXAttribute] = []) throws -> [Double] {
      try Self.run(Self.single(op, inputs: [.double], attributes: attributes), [x]).scalars
    }
    func expectClose(
      _ op: String, _ expected: [Double], attributes: [ONNXAttribute] = [],
      sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      let actual = try run(op, attributes)
      #expect(
        isApproximatelyEqual(actual, expected, absolute: 1e-15, relative: 1e-15),
        "\(op): \(actual)",
        sourceLocation: sourceLocation)
    }
    try expectClose("Sigmoid", [0, 1 / (1 + exp(1)), 0.5, 1 / (1 + exp(-1)), 1])  // no NaN at ±1000
    try expectClose("Softplus", [0, log1p(exp(-1)), log(2), 1 + log1p(exp(-1)), 1000])
    try expectClose("Relu", [0, 0, 0, 1, 1000])
    try expectClose("LeakyRelu", [-10, -0.01, 0, 1, 1000])  // default alpha 0.01
    try expectClose(
      "LeakyRelu", [-500, -0.5, 0, 1, 1000], attributes: [ONNXAttribute("alpha", .float(0.5))])
    try expectClose("Elu", [-1, expm1(-1), 0, 1, 1000])
    try expectClose("Sign", [-1, -1, 0, 1, 1])  // ONNX's Sign(0) is 0
    try expectClose("Neg", [1000, 1, 0, -1, -1000])
    try expectClose("Softsign", [-1000.0 / 1001, -0.5, 0, 0.5, 1000.0 / 1001])
    try expectClose("HardSigmoid", [0, 0.3, 0.5, 0.7, 1])  // defaults alpha 0.2, beta 0.5
    try expectClose("HardSwish", [0, -1.0 / 3, 0, 2.0 / 3, 1000])
    try expectClose("Erf", [-1, erf(-1), 0, erf(1), 1])
    try expectClose("Tanh", [-1, tanh(-1), 0, tanh(1), 1])
    let selu = try run("Selu")
    #expect(selu[3] == 1.05070102214813232421875)  // ONNX's default gamma
  }

  @Test func comparisonsWhereCastAndClip() throws {
    let x = Self.vector([-2, 0, 3])
    let zero = ONNXTensor(name: "zero", dataType: .double, dims: [], values: [0])
    let greaterOrEqual = try Self.run(
      Self.single("GreaterOrEqual", inputs: [.double], initializers: [zero]), [x])
    #expect(greaterOrEqual == ONNXArray(shape: [3], elementType: .bool, scalars: [0, 1, 1]))
    let less = try Self.run(Self.single("Less", inputs: [.double], initializers: [zero]), [x])
    #expect(less.scalars == [1, 0, 0])

    let whereModel = Self.single("Where", inputs: [.bool, .double, .double])
    let picked = try Self.run(whereModel, [greaterOrEqual, x, Self.vector([9])])
    #expect(picked == Self.vector([9, 0, 3]))

    let cast = try Self.run(
      Self.single("Cast", inputs: [.bool], attributes: [ONNXAttribute("to", .int(1))]), [less])
    #expect(cast == ONNXArray(shape: [3], elementType: .float, scalars: [1, 0, 0]))

    let bounds = [
      ONNXTensor(name: "lo", dataType: .double, dims: [], values: [-1]),
      ONNXTensor(name: "hi", dataType: .double, dims: [], values: [1]),
    ]
    let clipped = try Self.run(Self.single("Clip", inputs: [.double], initializers: bounds), [x])
    #expect(clipped == Self.vector([-1, 0, 1]))
  }

  @Test func floatResultsAreRoundedToFloat() throws {
    let add = Self.single("Add", inputs: [.float, .float])
    let sum = try Self.run(add, [Self.vector([0.1], .float), Self.vector([0.2], .float)])
    #expect(sum.scalars == [Double(Float(0.1) + Float(0.2))])
    #expect(sum.scalars != [0.1 + 0.2])
  }

  @Test func unsupportedOperatorsAndOldOpsetsAreRejected() throws {
    let error = try #require(throws: InputError.self) {
      try ONNXReferenceEvaluator(Self.single("Conv", inputs: [.float]))
    }
    #expect(
      error.message == "node 'node': operator 'Conv' is not supported by the reference evaluator")
    #expect(
      throws: InputError(
        "the ONNX model uses operator set 11; the reference evaluator needs 13 or later")
    ) { try ONNXReferenceEvaluator(Self.single("Relu", inputs: [.float], opset: 11)) }
  }

  @Test func feedsAreCheckedAgainstTheDeclaredInputs() throws {
    let network = ONNXNetwork(
      inputSize: 2, layers: [.dense(weight: [1, 1], outputs: 1, inputs: 2, bias: nil)])
    let evaluator = try ONNXReferenceEvaluator(ONNXTestMath.roundTrip(network))
    #expect(throws: InputError("the graph input 'input' has shape [batch, 2], got [1, 3]")) {
      try evaluator.predict([[1, 2, 3]])
    }
    #expect(throws: InputError("no value given for the graph input 'input'")) {
      try evaluator.run([:])
    }
    #expect(throws: InputError("the graph input 'input' is FLOAT, got DOUBLE")) {
      try evaluator.run(["input": Self.matrix([[1, 2]])])
    }
    #expect(try evaluator.predict([[1, 2], [3, -4]]) == [[3], [-1]])  // any batch size
  }
}
