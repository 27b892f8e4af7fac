/// Register-blocked sums of selected matrix rows: `out (=|+=) sum_k w_k * base[rows[k]]`.
/// The output is processed 32 floats at a time in four SIMD8 accumulators that stay in
/// registers over all k, so each selected row costs one load and one FMA per 8 floats and `out`
/// is read and written once. This is the core of every event-driven product in the engine.
enum RowSumKernels {
  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
  }

  /// Weighted: `out (=|+=) sum_k weights[k] * base[rows[k] * n ..< rows[k] * n + n]`.
  static func weighted(
    _ base: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Int32>, weights: UnsafePointer<Float>, count: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    var i = 0
    while i &+ 32 <= n {
      var a0 = accumulate ? load(out + i) : .zero, a1 = accumulate ? load(out + (i &+ 8)) : .zero
      var a2 = accumulate ? load(out + (i &+ 16)) : .zero, a3 = accumulate ? load(out + (i &+ 24)) : .zero
      for k in 0..<count {
        let p = base + (Int(rows[k]) &* n &+ i)
        let w = SIMD8<Float>(repeating: weights[k])
        a0 = a0.addingProduct(load(p), w)
        a1 = a1.addingProduct(load(p + 8), w)
        a2 = a2.addingProduct(load(p + 16), w)
        a3 = a3.addingProduct(load(p + 24), w)
      }
      store(a0, out + i)
      store(a1, out + (i &+ 8))
      store(a2, out + (i &+ 16))
      store(a3, out + (i &+ 24))
      i &+= 32
    }
    while i &+ 8 <= n {
      var a0 = accumulate ? load(out + i) : .zero
      for k in 0..<count {
        a0 = a0.addingProduct(load(base + (Int(rows[k]) &* n &+ i)), SIMD8<Float>(repeating: weights[k]))
      }
      store(a0, out + i)
      i &+= 8
    }
    while i < n {
      var a: Float = accumulate ? out[i] : 0
      for k in 0..<count { a += weights[k] * base[Int(rows[k]) &* n &+ i] }
      out[i] = a
      i &+= 1
    }
  }

  /// Unweighted (spikes are 0/1): `out (=|+=) sum_k base[rows[k] * n ..< rows[k] * n + n]`.
  static func plain(
    _ base: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Int32>, count: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    var i = 0
    while i &+ 32 <= n {
      var a0 = accumulate ? load(out + i) : .zero, a1 = accumulate ? load(out + (i &+ 8)) : .zero
      var a2 = accumulate ? load(out + (i &+ 16)) : .zero, a3 = accumulate ? load(out + (i &+ 24)) : .zero
      for k in 0..<count {
        let p = base + (Int(rows[k]) &* n &+ i)
        a0 += load(p)
        a1 += load(p + 8)
        a2 += load(p + 16)
        a3 += load(p + 24)
      }
      store(a0, out + i)
      store(a1, out + (i &+ 8))
      store(a2, out + (i &+ 16))
      store(a3, out + (i &+ 24))
      i &+= 32
    }
    while i &+ 8 <= n {
      var a0 = accumulate ? load(out + i) : .zero
      for k in 0..<count { a0 += load(base + (Int(rows[k]) &* n &+ i)) }
      store(a0, out + i)
      i &+= 8
    }
    while i < n {
      var a: Float = accumulate ? out[i] : 0
      for k in 0..<count { a += base[Int(rows[k]) &* n &+ i] }
      out[i] = a
      i &+= 1
    }
  }
}
