@testable import Learner

/// SplitMix64: a small seeded generator so property tests are reproducible.
struct SeededRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

enum LatentFactory {
  /// Random spikes at `depth` >= 1, each entry 1 with probability `density`.
  static func spikes(t: Int, n: Int, density: Double, label: Int? = 3, depth: Int = 2, rng: inout SeededRNG) throws -> LatentSample {
    let v: [Float] = (0..<(t * n)).map { _ in Double.random(in: 0..<1, using: &rng) < density ? 1 : 0 }
    return LatentSample(depth: depth, timesteps: t, width: n, values: v, label: label)
  }

  /// Random currents (depth 0): a fraction `density` non-zero, mixing ordinary values with the
  /// bit patterns a lossless codec must keep (-0.0, NaN with payload, infinities, subnormals).
  static func currents(t: Int, n: Int, density: Double, label: Int? = 3, rng: inout SeededRNG) throws -> LatentSample {
    let specials: [Float] = [-0.0, Float(bitPattern: 0x7FC0_1234), .infinity, -.infinity, .leastNonzeroMagnitude, Float(bitPattern: 0x8000_0100)]
    let v: [Float] = (0..<(t * n)).map { _ in
      guard Double.random(in: 0..<1, using: &rng) < density else { return 0 }
      if Int.random(in: 0..<20, using: &rng) == 0 { return specials.randomElement(using: &rng)! }
      return Float.random(in: -3...3, using: &rng)
    }
    return LatentSample(depth: 0, timesteps: t, width: n, values: v, label: label)
  }

  static let lossless: [any ReplayCodec] = [RawCodec(), BitpackCodec(), EventsCodec(), AutoCodec(), try! OrPoolCodec(window: 1)]
  static let densities: [Double] = [0, 0.01, 0.1, 0.5, 1.0]
}
