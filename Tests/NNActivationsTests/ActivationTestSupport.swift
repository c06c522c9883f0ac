import NNActivations
import NNProtocols
import NNTestSupport
import Testing

// Helpers shared by the activation suites.

/// A registry holding every built-in activation.
func builtinActivationRegistry() throws -> ComponentRegistry {
  var registry = ComponentRegistry()
  try registry.registerBuiltinActivations()
  return registry
}

/// The activation `name` built through the registry, with `given` options validated and the others
/// at their defaults.
func makeActivation(
  _ name: String, _ given: [(key: String, value: OptionValue)] = []
) throws -> any Activation {
  let registry = try builtinActivationRegistry()
  return try registry.makeActivation(registry.reference(.activation, name, given))
}

/// Every registered activation with every option variant, labelled for messages.
func everyActivationVariant() throws -> [(label: String, activation: any Activation)] {
  let registry = try builtinActivationRegistry()
  var result: [(label: String, activation: any Activation)] = []
  for name in registry.names(of: .activation) {
    for given in optionVariants(registry.optionSpecs(of: .activation, named: name) ?? []) {
      let reference = try registry.reference(.activation, name, given)
      result.append((reference.description, try registry.makeActivation(reference)))
    }
  }
  return result
}

/// Runs the buffer paths in precision `S`: `forward` over `points`, then `backward` with `dA = 1`,
/// giving each point's value and derivative as the trainer computes them.
func bufferPath<S: NNScalar>(
  _ activation: any Activation, at points: [S]
) -> (values: [S], derivatives: [S]) {
  let z = Matrix<S>(rows: 1, cols: points.count, scalars: points)
  let a = Matrix<S>(rows: 1, cols: points.count)
  activation.forward(z, into: a)
  let ones = Matrix<S>(rows: 1, cols: points.count)
  ones.fill(1)
  let dZ = Matrix<S>(rows: 1, cols: points.count)
  activation.backward(input: z, output: a, outputGradient: ones, into: dZ)
  return (a.scalars, dZ.scalars)
}

/// `g(z)` and `g'(z)` by the scalar forms, in precision `S`.
func scalarPath<S: NNScalar>(_ activation: any Activation, at z: S) -> (value: S, derivative: S) {
  let a = activation.value(z)
  return (a, activation.derivative(z, output: a))
}

/// Seeded points in [−4, 4] at least 0.01 away from every multiple of 0.5, where all the built-in
/// kinks lie (0, ±1, ±3, 6, softplus's threshold/beta), plus a few fixed ones.
///
/// [−4, 4] keeps saturating functions away from the region where their derivative is so small that
/// central differences of a value near ±1 lose the relative precision a 1e-6 check needs.
func smoothPoints(count: Int = 200, seed: UInt64 = 7) -> [Double] {
  var generator = SeededGenerator(seed: seed)
  var points: [Double] = [0.25, -0.25, 0.7, -0.7, 1.3, -1.3, 2.2, -2.2, 3.7, -3.7]
  while points.count < count {
    let z = generator.uniform(-4, 4)
    let distanceToGrid = abs(z * 2 - (z * 2).rounded()) / 2
    if distanceToGrid > 0.01 { points.append(z) }
  }
  return points
}

/// Whether `a` and `b` are the same value including the sign of zero (NaN equals NaN).
func isIdentical(_ a: Double, _ b: Double) -> Bool {
  (a.isNaN && b.isNaN) || (a == b && a.sign == b.sign)
}

/// Expects `g(z) = value` and `g'(z) = derivative` on every path: the scalar forms and the buffer forms,
/// in Double (to 1e-13 relative) and in Float (to Float precision).
func expectKnown(
  _ activation: any Activation, at z: Double, value: Double, derivative: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let scalar = scalarPath(activation, at: z)
  let buffer = bufferPath(activation, at: [z])
  let label = "\(activation.name) at \(z)"
  for (path, gotValue, gotDerivative) in [
    ("scalar", scalar.value, scalar.derivative),
    ("buffer", buffer.values[0], buffer.derivatives[0]),
  ] {
    #expect(
      isApproximatelyEqual(gotValue, value, absolute: 1e-15, relative: 1e-13),
      "\(label), Double \(path) value: \(gotValue), expected \(value)",
      sourceLocation: sourceLocation)
    #expect(
      isApproximatelyEqual(gotDerivative, derivative, absolute: 1e-15, relative: 1e-13),
      "\(label), Double \(path) derivative: \(gotDerivative), expected \(derivative)",
      sourceLocation: sourceLocation)
  }
  let floatScalar = scalarPath(activation, at: Float(z))
  let floatBuffer = bufferPath(activation, at: [Float(z)])
  for (path, gotValue, gotDerivative) in [
    ("scalar", floatScalar.value, floatScalar.derivative),
    ("buffer", floatBuffer.values[0], floatBuffer.derivatives[0]),
  ] {
    #expect(
      isApproximatelyEqual(gotValue, Float(value), absolute: 1e-7, relative: 2e-6),
      "\(label), Float \(path) value: \(gotValue), expected \(value)",
      sourceLocation: sourceLocation)
    #expect(
      isApproximatelyEqual(gotDerivative, Float(derivative), absolute: 1e-7, relative: 2e-6),
      "\(label), Float \(path) derivative: \(gotDerivative), expected \(derivative)",
      sourceLocation: sourceLocation)
  }
}

/// The names of every built-in activation (empty only if registration fails, which
/// `ComponentRegistry+ActivationsTests` reports).
let builtinActivationNames: [String] =
  (try? builtinActivationRegistry().names(of: .activation)) ?? []
