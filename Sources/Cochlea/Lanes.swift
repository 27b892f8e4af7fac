/// Channels are processed 8 at a time in one SIMD vector (one AVX2 register of Float32).
typealias Lanes = SIMD8<Float>
typealias LaneMask = SIMDMask<SIMD8<Int32>>
let laneCount = 8
