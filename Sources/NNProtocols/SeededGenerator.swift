import Foundation

/// The one source of randomness in nnpipe: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every platform and every run, so weights, shuffles and
/// dropout masks are bit-identical run after run. Its `state` can be saved and restored (checkpoints).
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  /// The four words of xoshiro256** state.
  public private(set) var state: [UInt64]

  /// A generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    var mixer = seed
    func splitMix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = [splitMix(), splitMix(), splitMix(), splitMix()]
  }

  /// A generator restored from a saved `state` (four words, not all zero).
  public init?(state: [UInt64]) {
    guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
    self.state = state
  }

  public mutating func next() -> UInt64 {
    let result = rotate(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = rotate(state[3], 45)
    return result
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform value in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform value in [lower, upper).
  public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
    lower + (upper - lower) * uniform()
  }

  /// A standard normal value N(0, 1) by the Box–Muller transform.
  public mutating func normal() -> Double {
    let u1 = 1 - uniform()  // in (0, 1], so the logarithm is finite
    let u2 = uniform()
    return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
  }

  /// A new generator for a sub-task (e.g. one layer's dropout), derived from this one's sequence.
  public mutating func split() -> SeededGenerator {
    SeededGenerator(seed: next())
  }
}
