/// Channels are processed 8 at a time in one SIMD vector (one AVX2 register of Float32).
typealias Lanes = SIMD8<Float>
typealias LaneMask = SIMDMask<SIMD8<Int32>>
let laneCount = 8

// The stdlib's `replacing(with:where:)`, `pointwiseMin/Max` and `any` on SIMD8 compile to
// per-lane scalar loops (measured: 80% of the cochlea's time). These helpers work on the bit
// patterns instead, which compile to vector and/andnot/or.

/// The mask as lanes of all-ones (true) or all-zeros (false) bits.
@inline(__always)
func maskBits(_ m: LaneMask) -> SIMD8<Int32> { unsafeBitCast(m, to: SIMD8<Int32>.self) }

/// Per lane: `a` where `m` is true, else `b`.
@inline(__always)
func select(_ m: LaneMask, _ a: Lanes, _ b: Lanes) -> Lanes {
  let bits = maskBits(m)
  let ai = unsafeBitCast(a, to: SIMD8<Int32>.self), bi = unsafeBitCast(b, to: SIMD8<Int32>.self)
  return unsafeBitCast((ai & bits) | (bi & ~bits), to: Lanes.self)
}

/// Per lane: `a` where `bits` is all ones, `b` where it is all zeros. (Integer SIMD comparisons
/// also compile to per-lane loops, so integer conditions are turned into such bits arithmetically.)
@inline(__always)
func select(bits: SIMD8<Int32>, _ a: Lanes, _ b: Lanes) -> Lanes {
  let ai = unsafeBitCast(a, to: SIMD8<Int32>.self), bi = unsafeBitCast(b, to: SIMD8<Int32>.self)
  return unsafeBitCast((ai & bits) | (bi & ~bits), to: Lanes.self)
}

/// Per lane: `x` where `m` is true, else 0.
@inline(__always)
func keep(_ x: Lanes, where m: LaneMask) -> Lanes {
  unsafeBitCast(unsafeBitCast(x, to: SIMD8<Int32>.self) & maskBits(m), to: Lanes.self)
}

/// True when any lane of `m` is true.
@inline(__always)
func anyLane(_ m: LaneMask) -> Bool {
  let w = unsafeBitCast(m, to: (UInt64, UInt64, UInt64, UInt64).self)
  return (w.0 | w.1 | w.2 | w.3) != 0
}

/// min(max(x, low), high) per lane.
@inline(__always)
func clampLanes(_ x: Lanes, _ low: Float, _ high: Float) -> Lanes {
  let l = Lanes(repeating: low), h = Lanes(repeating: high)
  return select(x .> h, h, select(x .< l, l, x))
}

/// max(x, 0) per lane.
@inline(__always)
func positivePart(_ x: Lanes) -> Lanes { keep(x, where: x .> 0) }
