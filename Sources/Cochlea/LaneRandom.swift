/// xoshiro128+ in 8 independent lanes: one uniform Float in [0, 1) per channel per sample.
/// Each lane is seeded from (seed, stream, lane) through SplitMix64, so a channel's random
/// sequence depends only on the clip's seed, never on chunking or thread count.
struct LaneRandom: Sendable {
  var s0: SIMD8<UInt32>, s1: SIMD8<UInt32>, s2: SIMD8<UInt32>, s3: SIMD8<UInt32>

  init(seed: UInt64, stream: UInt64) {
    s0 = .zero; s1 = .zero; s2 = .zero; s3 = .zero
    for lane in 0..<8 {
      var x = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(lane) &* 0xD1B5_4A32_D192_ED03)
      let a = splitMix64(&x), b = splitMix64(&x)
      s0[lane] = UInt32(truncatingIfNeeded: a) | 1
      s1[lane] = UInt32(truncatingIfNeeded: a >> 32)
      s2[lane] = UInt32(truncatingIfNeeded: b)
      s3[lane] = UInt32(truncatingIfNeeded: b >> 32)
    }
  }

  /// Next 8 uniforms in [0, 1), 23-bit resolution.
  @inline(__always)
  mutating func next() -> Lanes {
    let result = s0 &+ s3
    let t = s1 &<< 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 &<< 11) | (s3 &>> 21)
    // 23 random mantissa bits under exponent 0 give a float in [1, 2).
    let bits = (result &>> 9) | 0x3F80_0000
    return unsafeBitCast(bits, to: Lanes.self) - 1
  }
}

/// SplitMix64 step (Steele et al. 2014): a well-mixed 64-bit value from a counter.
@inline(__always)
func splitMix64(_ x: inout UInt64) -> UInt64 {
  x &+= 0x9E37_79B9_7F4A_7C15
  var z = x
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
