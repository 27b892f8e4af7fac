/// Register-blocked sums of selected matrix rows: `out (=|+=) sum_k w_k * base[rows[k]]`.
/// The output is processed 64 floats at a time in eight SIMD8 accumulators that stay in
/// registers over all k (eight independent FMA chains keep both FMA units busy), so each selected
/// row costs one load and one FMA per 8 floats and `out` is read and written once. This is the core
/// of every event-driven product in the engine.
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
    while i &+ 64 <= n {
      let o = out + i
      var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
      if accumulate {
        a0 = load(o); a1 = load(o + 8); a2 = load(o + 16); a3 = load(o + 24)
        a4 = load(o + 32); a5 = load(o + 40); a6 = load(o + 48); a7 = load(o + 56)
      }
      for k in 0..<count {
        let p = base + (Int(rows[k]) &* n &+ i)
        let w = SIMD8<Float>(repeating: weights[k])
        a0 = a0.addingProduct(load(p), w)
        a1 = a1.addingProduct(load(p + 8), w)
        a2 = a2.addingProduct(load(p + 16), w)
        a3 = a3.addingProduct(load(p + 24), w)
        a4 = a4.addingProduct(load(p + 32), w)
        a5 = a5.addingProduct(load(p + 40), w)
        a6 = a6.addingProduct(load(p + 48), w)
        a7 = a7.addingProduct(load(p + 56), w)
      }
      store(a0, o); store(a1, o + 8); store(a2, o + 16); store(a3, o + 24)
      store(a4, o + 32); store(a5, o + 40); store(a6, o + 48); store(a7, o + 56)
      i &+= 64
    }
    while i &+ 16 <= n {
      let o = out + i
      var a0 = accumulate ? load(o) : SIMD8<Float>(), a1 = accumulate ? load(o + 8) : SIMD8<Float>()
      var b0 = SIMD8<Float>(), b1 = b0  // second chain pair for latency
      var k = 0
      while k &+ 2 <= count {
        let p = base + (Int(rows[k]) &* n &+ i), q = base + (Int(rows[k &+ 1]) &* n &+ i)
        let w = SIMD8<Float>(repeating: weights[k]), v = SIMD8<Float>(repeating: weights[k &+ 1])
        a0 = a0.addingProduct(load(p), w)
        a1 = a1.addingProduct(load(p + 8), w)
        b0 = b0.addingProduct(load(q), v)
        b1 = b1.addingProduct(load(q + 8), v)
        k &+= 2
      }
      if k < count {
        let p = base + (Int(rows[k]) &* n &+ i), w = SIMD8<Float>(repeating: weights[k])
        a0 = a0.addingProduct(load(p), w)
        a1 = a1.addingProduct(load(p + 8), w)
      }
      store(a0 + b0, o)
      store(a1 + b1, o + 8)
      i &+= 16
    }
    while i &+ 8 <= n {
      var a0 = accumulate ? load(out + i) : SIMD8<Float>()
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
    while i &+ 64 <= n {
      let o = out + i
      var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
      if accumulate {
        a0 = load(o); a1 = load(o + 8); a2 = load(o + 16); a3 = load(o + 24)
        a4 = load(o + 32); a5 = load(o + 40); a6 = load(o + 48); a7 = load(o + 56)
      }
      for k in 0..<count {
        let p = base + (Int(rows[k]) &* n &+ i)
        a0 += load(p); a1 += load(p + 8); a2 += load(p + 16); a3 += load(p + 24)
        a4 += load(p + 32); a5 += load(p + 40); a6 += load(p + 48); a7 += load(p + 56)
      }
      store(a0, o); store(a1, o + 8); store(a2, o + 16); store(a3, o + 24)
      store(a4, o + 32); store(a5, o + 40); store(a6, o + 48); store(a7, o + 56)
      i &+= 64
    }
    while i &+ 16 <= n {
      let o = out + i
      var a0 = accumulate ? load(o) : SIMD8<Float>(), a1 = accumulate ? load(o + 8) : SIMD8<Float>()
      for k in 0..<count {
        let p = base + (Int(rows[k]) &* n &+ i)
        a0 += load(p)
        a1 += load(p + 8)
      }
      store(a0, o)
      store(a1, o + 8)
      i &+= 16
    }
    while i &+ 8 <= n {
      var a0 = accumulate ? load(out + i) : SIMD8<Float>()
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
