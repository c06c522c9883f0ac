import NNActivations
import NNProtocols
import NNTestSupport
import Testing

/// Properties every built-in activation must have, run over the registry so that a new built-in is
/// covered automatically, with default and non-default options.
@Suite("Every built-in activation")
struct BuiltinActivationTests {
  @Test("every activation is covered, and every option gets a non-default variant")
  func coverage() throws {
    #expect(builtinActivationNames.count >= 19)
    let registry = try builtinActivationRegistry()
    for name in builtinActivationNames {
      let specs = registry.optionSpecs(of: .activation, named: name) ?? []
      let changed = Set(optionVariants(specs).flatMap { $0.map(\.key) })
      #expect(changed == Set(specs.map(\.name)), "\(name): options without a tested variant")
    }
  }

  @Test(
    "the derivative matches central differences on the scalar and buffer paths",
    arguments: builtinActivationNames)
  func derivativeMatchesFiniteDifferences(name: String) throws {
    let registry = try builtinActivationRegistry()
    let checker = GradientChecker()
    let points = smoothPoints()
    for given in optionVariants(registry.optionSpecs(of: .activation, named: name) ?? []) {
      let reference = try registry.reference(.activation, name, given)
      let activation = try registry.makeActivation(reference)
      if activation.isTrainable {
        let scalarError = checker.check(activation: activation, at: points)
        let bufferError = checker.checkBuffers(activation: activation, at: points)
        #expect(scalarError < 1e-6, "\(reference): scalar path, max error \(scalarError)")
        #expect(bufferError < 1e-6, "\(reference): buffer path, max error \(bufferError)")
      } else {
        // sign and step: no gradient to check, and none may leak into back-propagation.
        #expect(points.allSatisfy { scalarPath(activation, at: $0).derivative == 0 })
        #expect(bufferPath(activation, at: points).derivatives.allSatisfy { $0 == 0 })
      }
    }
  }

  @Test(
    "special values: NaN propagates; finite inputs give no NaN and finite derivatives",
    arguments: builtinActivationNames)
  func specialValuesAreHandled(name: String) throws {
    let registry = try builtinActivationRegistry()
    for given in optionVariants(registry.optionSpecs(of: .activation, named: name) ?? []) {
      let reference = try registry.reference(.activation, name, given)
      let activation = try registry.makeActivation(reference)
      let buffer = bufferPath(activation, at: specialValues)
      for (i, z) in specialValues.enumerated() {
        let (value, derivative) = scalarPath(activation, at: z)
        let label = "\(reference) at \(z)"
        if z.isNaN {
          #expect(value.isNaN, "\(label): value \(value)")
          if activation.isTrainable {
            #expect(derivative.isNaN, "\(label): derivative \(derivative)")
          } else {
            #expect(derivative == 0, "\(label): derivative \(derivative)")
          }
        } else {
          #expect(!value.isNaN, "\(label): value is NaN")
          #expect(derivative.isFinite, "\(label): derivative \(derivative)")
          if !activation.isTrainable { #expect(derivative == 0, "\(label): derivative") }
          if abs(z) <= 1e4 { #expect(value.isFinite, "\(label): value \(value)") }
          if z.isFinite && value.isInfinite {
            // Overflow is only allowed where the true value exceeds the largest finite number: the
            // function must grow faster than |z| (as selu's λ·z does).
            #expect(abs(activation.value(z / 2)) > abs(z / 2), "\(label): overflows")
          }
        }
        #expect(
          isApproximatelyEqual(buffer.values[i], value, absolute: 1e-300, relative: 1e-12),
          "\(label): buffer value \(buffer.values[i]), scalar \(value)")
        #expect(
          isApproximatelyEqual(
            buffer.derivatives[i], derivative, absolute: 1e-300, relative: 1e-12),
          "\(label): buffer derivative \(buffer.derivatives[i]), scalar \(derivative)")
      }
    }
  }

  @Test(
    "every output lies in the declared outputRange, and a finite bound is nearly reached",
    arguments: builtinActivationNames)
  func outputsLieInTheDeclaredRange(name: String) throws {
    let registry = try builtinActivationRegistry()
    // A dense grid over [−10, 10], every power of ten out to ±1e4, and ±∞.
    var points = (-10_000...10_000).map { Double($0) / 1000 }
    for exponent in 1...4 {
      let magnitude = pow10(exponent)
      points += [magnitude, -magnitude, magnitude / 3, -magnitude / 3]
    }
    points += [.infinity, -.infinity]
    for given in optionVariants(registry.optionSpecs(of: .activation, named: name) ?? []) {
      let reference = try registry.reference(.activation, name, given)
      let activation = try registry.makeActivation(reference)
      let range = activation.outputRange
      let doubles =
        points.map { scalarPath(activation, at: $0).value }
        + bufferPath(activation, at: points).values
      let floats =
        points.map { scalarPath(activation, at: Float($0)).value }
        + bufferPath(activation, at: points.map { Float($0) }).values
      // In Float the bounds are compared rounded to Float, the precision the outputs have.
      let (floatLow, floatHigh) = (Float(range.lowerBound), Float(range.upperBound))
      for (i, value) in doubles.enumerated() {
        #expect(
          range.contains(value),
          "\(reference) at \(points[i % points.count]): \(value) outside \(range)")
      }
      for (i, value) in floats.enumerated() {
        #expect(
          value >= floatLow && value <= floatHigh,
          "\(reference) in Float at \(points[i % points.count]): \(value) outside \(range)")
      }
      // Tight: a finite bound is reached to within 1e-3 (relative to the bound, at least 1e-3);
      // an infinite one is left far behind (|g| ≥ 100 somewhere on the grid).
      let (lowest, highest) = (doubles.min() ?? .nan, doubles.max() ?? .nan)
      for (bound, reached) in [(range.lowerBound, lowest), (range.upperBound, highest)] {
        if bound.isFinite {
          #expect(
            abs(reached - bound) <= 1e-3 * max(1, abs(bound)),
            "\(reference): declared bound \(bound), but the outputs only reach \(reached)")
        } else {
          #expect(
            bound < 0 ? reached <= -100 : reached >= 100,
            "\(reference): declared bound \(bound), but the outputs stop at \(reached)")
        }
      }
    }
  }

  @Test(
    "the Float paths agree with the Double paths to Float precision",
    arguments: builtinActivationNames)
  func floatAgreesWithDouble(name: String) throws {
    let registry = try builtinActivationRegistry()
    // The same inputs in both precisions: Float values, widened exactly to Double.
    let floatPoints = (smoothPoints(count: 400) + specialValues + [-9, 9, -30, 30]).map {
      Float($0)
    }
    let doublePoints = floatPoints.map { Double($0) }
    for given in optionVariants(registry.optionSpecs(of: .activation, named: name) ?? []) {
      let reference = try registry.reference(.activation, name, given)
      let activation = try registry.makeActivation(reference)
      let single = bufferPath(activation, at: floatPoints)
      let double = bufferPath(activation, at: doublePoints)
      for i in floatPoints.indices {
        let label = "\(reference) at \(floatPoints[i])"
        #expect(
          isApproximatelyEqual(
            single.values[i], Float(double.values[i]), absolute: 1e-6, relative: 1e-5),
          "\(label): Float \(single.values[i]), Double \(double.values[i])")
        #expect(
          isApproximatelyEqual(
            single.derivatives[i], Float(double.derivatives[i]), absolute: 1e-6, relative: 1e-5),
          "\(label): Float derivative \(single.derivatives[i]), Double \(double.derivatives[i])")
        let scalar = scalarPath(activation, at: floatPoints[i])
        #expect(
          isApproximatelyEqual(scalar.value, single.values[i], absolute: 1e-7, relative: 1e-6),
          "\(label): Float scalar \(scalar.value), buffer \(single.values[i])")
      }
    }
  }

  @Test(
    "buffer paths over several chunks match the scalar forms, also in place (a = z, dZ = dA)",
    arguments: builtinActivationNames)
  func buffersMatchScalarsInPlace(name: String) throws {
    let activation = try makeActivation(name)
    var generator = SeededGenerator(seed: 11)
    // 3 × 341 = 1023 elements: several chunks of the chunked kernels, and a partial last one.
    let z = randomMatrix(rows: 3, cols: 341, scale: 3, using: &generator, as: Double.self)
    let dA = randomMatrix(rows: 3, cols: 341, using: &generator, as: Double.self)
    let a = Matrix<Double>(rows: 3, cols: 341)
    let dZ = Matrix<Double>(rows: 3, cols: 341)
    activation.forward(z, into: a)
    activation.backward(input: z, output: a, outputGradient: dA, into: dZ)
    for i in 0..<z.count {
      let value = activation.value(z.base[i])
      let expected = dA.base[i] * activation.derivative(z.base[i], output: value)
      #expect(isApproximatelyEqual(a.base[i], value, absolute: 1e-300, relative: 1e-12))
      #expect(isApproximatelyEqual(dZ.base[i], expected, absolute: 1e-300, relative: 1e-12))
    }

    let inPlace = z.copy()
    activation.forward(inPlace, into: inPlace)
    #expect(inPlace.elementsEqual(a))
    let gradientInPlace = dA.copy()
    activation.backward(input: z, output: a, outputGradient: gradientInPlace, into: gradientInPlace)
    #expect(gradientInPlace.elementsEqual(dZ))
  }
}

/// `10^exponent` for a small non-negative `exponent`, exactly.
private func pow10(_ exponent: Int) -> Double {
  (0..<exponent).reduce(1) { product, _ in product * 10 }
}
