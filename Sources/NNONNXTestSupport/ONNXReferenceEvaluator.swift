import Foundation
import NNONNX
import NNProtocols

/// A tensor value for `ONNXReferenceEvaluator`: a shape, an element type and the elements, row-major.
///
/// Elements are held as `Double` whatever the type; a FLOAT array's elements are always values a
/// `Float` can hold (every operator's result is rounded to `Float`, as a 32-bit runtime would store it),
/// and a BOOL array's are 0 or 1.
public struct ONNXArray: Sendable, Equatable {
  /// The dimensions; `[]` for a scalar.
  public var shape: [Int]
  /// The element type.
  public var elementType: ONNXDataType
  /// The elements in row-major order.
  public var scalars: [Double]

  /// An array of the given shape and elements (`shape.reduce(1, *)` of them). FLOAT elements are rounded
  /// to `Float`.
  public init(shape: [Int], elementType: ONNXDataType, scalars: [Double]) {
    precondition(
      shape.reduce(1, *) == scalars.count,
      "an array of shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
    self.shape = shape
    self.elementType = elementType
    self.scalars = elementType == .float ? scalars.map { Double(Float($0)) } : scalars
  }

  /// A `[rows.count, columns]` matrix (a batch, one sample per row).
  public init(rows: [[Double]], elementType: ONNXDataType) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "every row needs \(columns) values")
    self.init(shape: [rows.count, columns], elementType: elementType, scalars: rows.flatMap { $0 })
  }

  /// A constant initializer's value.
  public init(_ tensor: ONNXTensor) {
    self.init(shape: tensor.dims, elementType: tensor.dataType, scalars: tensor.values)
  }

  /// The rows of a 2-D array.
  public var rows: [[Double]] {
    precondition(shape.count == 2, "rows of an array of shape \(shape)")
    return (0..<shape[0]).map { Array(scalars[$0 * shape[1]..<($0 + 1) * shape[1]]) }
  }
}

/// A small, plain interpreter of ONNX graphs: runs the operators `ONNXExporter` emits, one node after
/// another, with NumPy-style broadcasting, so a test (or `nnpipe export --check`) can confirm that an
/// exported graph computes what nnpipe computes without ONNX Runtime.
///
/// It computes every operator in `Double` and rounds FLOAT results to `Float` after each node, as a
/// 32-bit runtime stores its intermediate tensors. Operators (default domain, operator set ≥ 13
/// semantics): `Gemm`, `MatMul`, `Add`, `Sub`, `Mul`, `Div`, `Identity`, `Sigmoid`, `Tanh`, `Relu`,
/// `LeakyRelu`, `Elu`, `Selu`, `Softplus`, `Softsign`, `Erf`, `HardSigmoid`, `HardSwish`, `Sign`,
/// `Clip`, `Softmax`, `LogSoftmax`, `Neg`, `Greater`, `GreaterOrEqual`, `Less`, `LessOrEqual`, `Where`, `Cast`.
///
/// See Also: `ONNXModelReader`, `ONNXExporter`.
public struct ONNXReferenceEvaluator: Sendable {
  /// The model evaluated.
  public let model: ONNXModel

  /// The operators this evaluator implements.
  public static let supportedOperators: Set<String> = [
    "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Identity", "Sigmoid", "Tanh", "Relu",
    "LeakyRelu",
    "Elu", "Selu", "Softplus", "Softsign", "Erf", "HardSigmoid", "HardSwish", "Sign", "Clip",
    "Softmax",
    "LogSoftmax", "Neg", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Where", "Cast",
  ]

  /// An evaluator for `model`.
  ///
  /// - Throws: `InputError` if the model does not import the default operator set at version 13 or
  ///   later, or uses an operator (or domain) this evaluator does not implement.
  public init(_ model: ONNXModel) throws {
    guard let version = model.defaultOpsetVersion else {
      throw InputError("the ONNX model does not import the default operator set")
    }
    guard version >= 13 else {
      throw InputError(
        "the ONNX model uses operator set \(version); the reference evaluator needs 13 or later")
    }
    for node in model.graph.nodes {
      guard node.domain.isEmpty || node.domain == "ai.onnx",
        Self.supportedOperators.contains(node.opType)
      else {
        throw InputError(
          "node '\(node.name)': operator '\(node.opType)' is not supported by the reference evaluator",
          hint: "supported: \(Self.supportedOperators.sorted().joined(separator: ", "))")
      }
    }
    self.model = model
  }

  /// Runs the graph on `feeds` (one array per graph input, by name) and returns every graph output by
  /// name.
  ///
  /// - Throws: `InputError` for a missing or mistyped feed, a feed whose shape contradicts the declared
  ///   one, or a node whose inputs do not fit (naming the node).
  public func run(_ feeds: [String: ONNXArray]) throws -> [String: ONNXArray] {
    var values: [String: ONNXArray] = [:]
    for tensor in model.graph.initializers { values[tensor.name] = ONNXArray(tensor) }
    for input in model.graph.inputs where values[input.name] == nil || feeds[input.name] != nil {
      guard let feed = feeds[input.name] else {
        throw InputError("no value given for the graph input '\(input.name)'")
      }
      try check(feed, against: input)
      values[input.name] = ONNXArray(
        shape: feed.shape, elementType: feed.elementType, scalars: feed.scalars)
    }
    for node in model.graph.nodes {
      let inputs = try node.inputs.map { name -> ONNXArray? in
        if name.isEmpty { return nil }
        guard let value = values[name] else {
          throw InputError("node '\(node.name)' reads '\(name)', which no earlier node produces")
        }
        return value
      }
      let output: ONNXArray
      do {
        output = try Self.apply(node, inputs)
      } catch let error as OperatorError {
        throw InputError("node '\(node.name)' (\(node.opType)): \(error.message)")
      }
      guard node.outputs.count == 1 else {
        throw InputError("node '\(node.name)' (\(node.opType)) must have 1 output")
      }
      values[node.outputs[0]] = output
    }
    var results: [String: ONNXArray] = [:]
    for output in model.graph.outputs {
      guard let value = values[output.name] else {
        throw InputError("no node produces the graph output '\(output.name)'")
      }
      results[output.name] = value
    }
    return results
  }

  /// Runs a graph with one input and one output on a batch given as rows (one sample per row), in the
  /// input's declared element type, and returns the output's rows.
  public func predict(_ rows: [[Double]]) throws -> [[Double]] {
    guard model.graph.inputs.count == 1, model.graph.outputs.count == 1 else {
      throw InputError(
        "predict needs a graph with 1 input and 1 output, this one has "
          + "\(model.graph.inputs.count) and \(model.graph.outputs.count)")
    }
    let input = model.graph.inputs[0]
    let results = try run([input.name: ONNXArray(rows: rows, elementType: input.elementType)])
    let output = results[model.graph.outputs[0].name]!
    guard output.shape.count == 2 else {
      throw InputError("the graph output has shape \(output.shape), not [batch, features]")
    }
    return output.rows
  }

  private func check(_ feed: ONNXArray, against input: ONNXValueInfo) throws {
    guard feed.elementType == input.elementType else {
      throw InputError(
        "the graph input '\(input.name)' is \(input.elementType), got \(feed.elementType)")
    }
    guard let shape = input.shape else { return }
    let declared = "[" + shape.map(\.description).joined(separator: ", ") + "]"
    guard shape.count == feed.shape.count else {
      throw InputError(
        "the graph input '\(input.name)' has shape \(declared), got \(feed.shape)")
    }
    for (dimension, size) in zip(shape, feed.shape) {
      if case .value(let expected) = dimension, expected != size {
        throw InputError(
          "the graph input '\(input.name)' has shape \(declared), got \(feed.shape)")
      }
    }
  }

  // MARK: Operators

  private struct OperatorError: Error {
    var message: String
    init(_ message: String) { self.message = message }
  }

  private static func apply(_ node: ONNXNode, _ inputs: [ONNXArray?]) throws -> ONNXArray {
    func input(_ index: Int) throws -> ONNXArray {
      guard index < inputs.count, let value = inputs[index] else {
        throw OperatorError("input \(index) is missing")
      }
      return value
    }
    func real(_ name: String, _ fallback: Double) throws -> Double {
      switch node[attribute: name] {
      case nil: return fallback
      case .float(let value)?: return Double(value)
      default: throw OperatorError("attribute '\(name)' is not a float")
      }
    }
    func integer(_ name: String, _ fallback: Int) throws -> Int {
      switch node[attribute: name] {
      case nil: return fallback
      case .int(let value)?: return Int(value)
      default: throw OperatorError("attribute '\(name)' is not an integer")
      }
    }
    func unary(_ f: (Double) -> Double) throws -> ONNXArray {
      let x = try input(0)
      try requireReal(x)
      return ONNXArray(shape: x.shape, elementType: x.elementType, scalars: x.scalars.map(f))
    }
    func binary(_ f: (Double, Double) -> Double) throws -> ONNXArray {
      let (a, b) = (try input(0), try input(1))
      try requireReal(a)
      guard a.elementType == b.elementType else {
        throw OperatorError("inputs are \(a.elementType) and \(b.elementType)")
      }
      return try broadcast([a, b], as: a.elementType) { f($0[0], $0[1]) }
    }
    func comparison(_ f: (Double, Double) -> Bool) throws -> ONNXArray {
      let (a, b) = (try input(0), try input(1))
      guard a.elementType == b.elementType else {
        throw OperatorError("inputs are \(a.elementType) and \(b.elementType)")
      }
      return try broadcast([a, b], as: .bool) { f($0[0], $0[1]) ? 1 : 0 }
    }

    switch node.opType {
    case "Identity": return try input(0)
    case "Add": return try binary(+)
    case "Sub": return try binary(-)
    case "Mul": return try binary(*)
    case "Div": return try binary(/)
    case "Greater": return try comparison(>)
    case "GreaterOrEqual": return try comparison(>=)
    case "Less": return try comparison(<)
    case "LessOrEqual": return try comparison(<=)
    case "Sigmoid":
      // σ(x) = 1 / (1 + e^−x), written so that e^(±x) never overflows.
      return try unary { x in x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }
    case "Tanh": return try unary(tanh)
    case "Neg": return try unary { -$0 }
    case "Relu": return try unary { x in x > 0 ? x : 0 }
    case "LeakyRelu":
      let alpha = try real("alpha", 0.01)
      return try unary { x in x >= 0 ? x : alpha * x }
    case "Elu":
      let alpha = try real("alpha", 1)
      return try unary { x in x > 0 ? x : alpha * expm1(x) }
    case "Selu":
      let alpha = try real("alpha", 1.67326319217681884765625)
      let gamma = try real("gamma", 1.05070102214813232421875)
      return try unary { x in gamma * (x > 0 ? x : alpha * expm1(x)) }
    case "Softplus":
      // log(1 + e^x) = max(x, 0) + log(1 + e^−|x|)
      return try unary { x in max(x, 0) + log1p(exp(-abs(x))) }
    case "Softsign": return try unary { x in x / (1 + abs(x)) }
    case "Erf": return try unary(erf)
    case "HardSigmoid":
      let alpha = try real("alpha", 0.2)
      let beta = try real("beta", 0.5)
      return try unary { x in max(0, min(1, alpha * x + beta)) }
    case "HardSwish": return try unary { x in x * max(0, min(1, x / 6 + 0.5)) }
    case "Sign": return try unary { x in x > 0 ? 1 : x < 0 ? -1 : x.isNaN ? x : 0 }
    case "Clip":
      let x = try input(0)
      try requireReal(x)
      func bound(_ index: Int) throws -> Double? {
        guard index < inputs.count, let value = inputs[index] else { return nil }
        guard value.scalars.count == 1, value.elementType == x.elementType else {
          throw OperatorError("input \(index) must be a scalar of type \(x.elementType)")
        }
        return value.scalars[0]
      }
      let lower = try bound(1) ?? -.infinity
      let upper = try bound(2) ?? .infinity
      return ONNXArray(
        shape: x.shape, elementType: x.elementType,
        scalars: x.scalars.map { $0.isNaN ? $0 : min(max($0, lower), upper) })
    case "Softmax", "LogSoftmax":
      return try softmax(
        try input(0), axis: try integer("axis", -1), logarithm: node.opType == "LogSoftmax")
    case "Where":
      let (condition, a, b) = (try input(0), try input(1), try input(2))
      guard condition.elementType == .bool else { throw OperatorError("the condition is not BOOL") }
      guard a.elementType == b.elementType else {
        throw OperatorError("inputs are \(a.elementType) and \(b.elementType)")
      }
      return try broadcast([condition, a, b], as: a.elementType) { $0[0] != 0 ? $0[1] : $0[2] }
    case "Cast":
      let x = try input(0)
      let target = ONNXDataType(rawValue: try integer("to", 0))
      switch target {
      case .float, .double:
        return ONNXArray(shape: x.shape, elementType: target, scalars: x.scalars)
      case .bool:
        return ONNXArray(
          shape: x.shape, elementType: target, scalars: x.scalars.map { $0 != 0 ? 1 : 0 })
      default: throw OperatorError("casting to \(target) is not supported")
      }
    case "Gemm":
      return try gemm(
        try input(0), try input(1), inputs.count > 2 ? inputs[2] : nil,
        alpha: try real("alpha", 1), beta: try real("beta", 1),
        transposeA: try integer("transA", 0) != 0, transposeB: try integer("transB", 0) != 0)
    case "MatMul":
      return try gemm(
        try input(0), try input(1), nil, alpha: 1, beta: 0, transposeA: false, transposeB: false)
    default:
      throw OperatorError("not supported")
    }
  }

  private static func requireReal(_ x: ONNXArray) throws {
    guard x.elementType == .float || x.elementType == .double else {
      throw OperatorError("expects FLOAT or DOUBLE, got \(x.elementType)")
    }
  }

  /// `Y = alpha·op(A)·op(B) + beta·C`, with `op(M) = Mᵀ` when transposed and `C` broadcast to
  /// `[M, N]`.
  private static func gemm(
    _ a: ONNXArray, _ b: ONNXArray, _ c: ONNXArray?, alpha: Double, beta: Double,
    transposeA: Bool, transposeB: Bool
  ) throws -> ONNXArray {
    try requireReal(a)
    guard a.shape.count == 2, b.shape.count == 2 else {
      throw OperatorError("expects 2-D inputs, got \(a.shape) and \(b.shape)")
    }
    guard a.elementType == b.elementType else {
      throw OperatorError("inputs are \(a.elementType) and \(b.elementType)")
    }
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == kb else {
      throw OperatorError("cannot multiply \(a.shape) by \(b.shape) (inner sizes \(k) and \(kb))")
    }
    var product = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let left = transposeA ? a.scalars[p * m + i] : a.scalars[i * k + p]
          let right = transposeB ? b.scalars[j * k + p] : b.scalars[p * n + j]
          sum += left * right
        }
        product[i * n + j] = alpha * sum
      }
    }
    let result = ONNXArray(shape: [m, n], elementType: a.elementType, scalars: product)
    guard let c else { return result }
    guard c.elementType == a.elementType else {
      throw OperatorError("C is \(c.elementType), A is \(a.elementType)")
    }
    let sum = try broadcast([result, c], as: a.elementType) { $0[0] + beta * $0[1] }
    guard sum.shape == [m, n] else {
      throw OperatorError("C of shape \(c.shape) does not broadcast to [\(m), \(n)]")
    }
    return sum
  }

  /// Softmax (or its logarithm) along `axis`: `yᵢ = e^(xᵢ − max) / Σⱼ e^(xⱼ − max)`.
  private static func softmax(_ x: ONNXArray, axis: Int, logarithm: Bool) throws -> ONNXArray {
    try requireReal(x)
    let rank = x.shape.count
    let axis = axis < 0 ? axis + rank : axis
    guard axis >= 0 && axis < rank else {
      throw OperatorError("axis \(axis) is out of range for shape \(x.shape)")
    }
    let size = x.shape[axis]
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    let outer = x.shape[..<axis].reduce(1, *)
    var y = x.scalars
    for o in 0..<outer {
      for i in 0..<inner {
        let indices = (0..<size).map { (o * size + $0) * inner + i }
        let largest = indices.map { x.scalars[$0] }.max() ?? 0
        let total = indices.reduce(0) { $0 + exp(x.scalars[$1] - largest) }
        for index in indices {
          let shifted = x.scalars[index] - largest
          y[index] = logarithm ? shifted - log(total) : exp(shifted) / total
        }
      }
    }
    return ONNXArray(shape: x.shape, elementType: x.elementType, scalars: y)
  }

  /// Applies `f` elementwise over `arrays` broadcast together (NumPy's rules: align shapes on the right;
  /// each pair of sizes must be equal or one of them 1).
  private static func broadcast(
    _ arrays: [ONNXArray], as type: ONNXDataType, _ f: ([Double]) -> Double
  ) throws -> ONNXArray {
    let rank = arrays.map(\.shape.count).max() ?? 0
    var shape = [Int](repeating: 1, count: rank)
    for array in arrays {
      for (offset, size) in array.shape.enumerated() {
        let axis = rank - array.shape.count + offset
        if shape[axis] == 1 {
          shape[axis] = size
        } else if size != 1 && size != shape[axis] {
          throw OperatorError(
            "shapes \(arrays.map(\.shape).map(\.description).joined(separator: " and ")) "
              + "do not broadcast")
        }
      }
    }
    // Each array's stride along each output axis; 0 where it is broadcast.
    let strides = arrays.map { array -> [Int] in
      var strides = [Int](repeating: 0, count: rank)
      var stride = 1
      for offset in array.shape.indices.reversed() {
        let axis = rank - array.shape.count + offset
        strides[axis] = array.shape[offset] == 1 ? 0 : stride
        stride *= array.shape[offset]
      }
      return strides
    }
    let count = shape.reduce(1, *)
    var result = [Double](repeating: 0, count: count)
    var index = [Int](repeating: 0, count: rank)
    var operands = [Double](repeating: 0, count: arrays.count)
    for flat in 0..<count {
      for (k, array) in arrays.enumerated() {
        var position = 0
        for axis in 0..<rank { position += index[axis] * strides[k][axis] }
        operands[k] = array.scalars[position]
      }
      result[flat] = f(operands)
      // Advance the multi-index, last axis fastest.
      var axis = rank - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return ONNXArray(shape: shape, elementType: type, scalars: result)
  }
}
