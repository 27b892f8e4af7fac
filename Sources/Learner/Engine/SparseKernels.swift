/// Row-sum kernels of the event-driven products: `out = sum_k w_k base[rows[k]]` over a short
/// list of rows of width n. Register-blocked: a 64-column strip of `out` lives in registers while
/// every listed row streams through it (no load or store of `out` per group of rows), then the
/// next strip; single passes of 32, 16, 8, 4 and 2 columns and a scalar column cover the rest of
/// any n. Every output element is computed with exactly the operations and order of the plain
/// loop `out[i] += (a[i] + b[i]) + (c[i] + d[i])` over groups of four rows, so the blocking changes
/// speed, not bits (a different rounding changes training trajectories, and small continual
/// learning tests are sensitive to that).
enum SparseKernels {
  /// Rows per chunk (a multiple of 4): 32 rows of 200 floats are 25 KB, within L1.
  static let chunkRows = 32

  @inline(__always)
  static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
  }

  @inline(__always)
  static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
  }

  @inline(__always)
  static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
  }

  /// `out (=|+=) sum_k weights[k] * base[rows[k]]` (rows of width n): the event-driven input
  /// currents (count-weighted W1 rows) and, channel-major, the W1 gradient. Rows are taken four at
  /// a time, `out += (wa a + wb b) + (wc c + wd d)`, then one at a time (separate multiplies and
  /// adds, no fused multiply-add: the engine's results stay bit-identical to the unblocked loop).
  @inline(__always)
  static func weightedRowSum(
    _ base: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Int32>, weights: UnsafePointer<Float>, count: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    chunkedRowSum(base, n: n, rows: rows, weights: CountWeights(values: weights), count: count, into: out, accumulate: accumulate)
  }

  /// `out (=|+=) sum_k w[units[k]]` (rows of width n): spike-driven products (`s W`, `s V`: the
  /// rows of the units that fired), four rows at a time `out += (a + b) + (c + d)`, then singly.
  /// The same kernel with every weight 1 (`1 * x` is exactly x, and the compiler drops it).
  @inline(__always)
  static func rowSum(
    _ w: UnsafePointer<Float>, n: Int, units: UnsafePointer<Int32>, count: Int, into out: UnsafeMutablePointer<Float>,
    accumulate: Bool
  ) {
    chunkedRowSum(w, n: n, rows: units, weights: UnitWeights(), count: count, into: out, accumulate: accumulate)
  }

  /// Chunks of `chunkRows` rows (a multiple of 4, so the groups of four are those of the whole
  /// list): a chunk's rows stay in L1 while each strip of `out` passes over them.
  @inline(__always)
  static func chunkedRowSum<W: RowWeights>(
    _ base: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Int32>, weights: W, count: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    var start = 0
    repeat {
      let m = min(chunkRows, count &- start)
      rowSumChunk(
        base, n: n, rows: rows + start, weights: weights.advanced(by: start), count: m, into: out,
        accumulate: accumulate || start > 0)
      start &+= m
    } while start < count
  }

  @inline(__always)
  static func rowSumChunk<W: RowWeights>(
    _ base: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Int32>, weights: W, count: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    var j = 0
    while j &+ 64 <= n {
      let o = out + j
      var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
      if accumulate { a0 = load16(o); a1 = load16(o + 16); a2 = load16(o + 32); a3 = load16(o + 48) }
      var k = 0
      while k &+ 4 <= count {
        let p = base + (Int(rows[k]) &* n &+ j), q = base + (Int(rows[k &+ 1]) &* n &+ j)
        let r = base + (Int(rows[k &+ 2]) &* n &+ j), s = base + (Int(rows[k &+ 3]) &* n &+ j)
        if weights.fourAreOne(k) {
          // 1 * x is exactly x: the same bits without the multiplies (most binned counts are 1).
          a0 += (load16(p) + load16(q)) + (load16(r) + load16(s))
          a1 += (load16(p + 16) + load16(q + 16)) + (load16(r + 16) + load16(s + 16))
          a2 += (load16(p + 32) + load16(q + 32)) + (load16(r + 32) + load16(s + 32))
          a3 += (load16(p + 48) + load16(q + 48)) + (load16(r + 48) + load16(s + 48))
        } else {
          let wp = weights[k], wq = weights[k &+ 1], wr = weights[k &+ 2], ws = weights[k &+ 3]
          a0 += (wp * load16(p) + wq * load16(q)) + (wr * load16(r) + ws * load16(s))
          a1 += (wp * load16(p + 16) + wq * load16(q + 16)) + (wr * load16(r + 16) + ws * load16(s + 16))
          a2 += (wp * load16(p + 32) + wq * load16(q + 32)) + (wr * load16(r + 32) + ws * load16(s + 32))
          a3 += (wp * load16(p + 48) + wq * load16(q + 48)) + (wr * load16(r + 48) + ws * load16(s + 48))
        }
        k &+= 4
      }
      while k < count {
        let p = base + (Int(rows[k]) &* n &+ j), wp = weights[k]
        a0 += wp * load16(p)
        a1 += wp * load16(p + 16)
        a2 += wp * load16(p + 32)
        a3 += wp * load16(p + 48)
        k &+= 1
      }
      store16(a0, o); store16(a1, o + 16); store16(a2, o + 32); store16(a3, o + 48)
      j &+= 64
    }
    // The rest (under 64 columns) in at most one pass each of 32, 16, 8, 4 and 2 columns, then
    // one scalar column: n = 50 takes three passes over the rows, n = 20 two, n = 100 three.
    if j &+ 32 <= n { stripPass(ColumnStrip32.self, base, n: n, column: j, rows: rows, weights: weights, count: count, into: out, accumulate: accumulate); j &+= 32 }
    if j &+ 16 <= n { stripPass(SIMD16<Float>.self, base, n: n, column: j, rows: rows, weights: weights, count: count, into: out, accumulate: accumulate); j &+= 16 }
    if j &+ 8 <= n { stripPass(SIMD8<Float>.self, base, n: n, column: j, rows: rows, weights: weights, count: count, into: out, accumulate: accumulate); j &+= 8 }
    if j &+ 4 <= n { stripPass(SIMD4<Float>.self, base, n: n, column: j, rows: rows, weights: weights, count: count, into: out, accumulate: accumulate); j &+= 4 }
    if j &+ 2 <= n { stripPass(SIMD2<Float>.self, base, n: n, column: j, rows: rows, weights: weights, count: count, into: out, accumulate: accumulate); j &+= 2 }
    if j < n {
      var a: Float = accumulate ? out[j] : 0
      var k = 0
      while k &+ 4 <= count {
        let p = base[Int(rows[k]) &* n &+ j], q = base[Int(rows[k &+ 1]) &* n &+ j]
        let r = base[Int(rows[k &+ 2]) &* n &+ j], s = base[Int(rows[k &+ 3]) &* n &+ j]
        a += (weights[k] * p + weights[k &+ 1] * q) + (weights[k &+ 2] * r + weights[k &+ 3] * s)
        k &+= 4
      }
      while k < count {
        a += weights[k] * base[Int(rows[k]) &* n &+ j]
        k &+= 1
      }
      out[j] = a
    }
  }

  /// `out = sum_k base[rows[k]]` (rows of width n), adding the rows one by one into zeros in
  /// list order: the weight gradient of a spike-driven product, unit-major (each unit's cells).
  /// Register-blocked like the row sums; the per-element order is the plain loop's.
  @inline(__always)
  static func sequentialRowSum(_ base: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Int32>, count: Int, into out: UnsafeMutablePointer<Float>) {
    var j = 0
    while j &+ 64 <= n {
      sequentialPass(ColumnStrip64.self, base, n: n, column: j, rows: rows, count: count, into: out)
      j &+= 64
    }
    if j &+ 32 <= n { sequentialPass(ColumnStrip32.self, base, n: n, column: j, rows: rows, count: count, into: out); j &+= 32 }
    if j &+ 16 <= n { sequentialPass(SIMD16<Float>.self, base, n: n, column: j, rows: rows, count: count, into: out); j &+= 16 }
    if j &+ 8 <= n { sequentialPass(SIMD8<Float>.self, base, n: n, column: j, rows: rows, count: count, into: out); j &+= 8 }
    if j &+ 4 <= n { sequentialPass(SIMD4<Float>.self, base, n: n, column: j, rows: rows, count: count, into: out); j &+= 4 }
    if j &+ 2 <= n { sequentialPass(SIMD2<Float>.self, base, n: n, column: j, rows: rows, count: count, into: out); j &+= 2 }
    if j < n {
      var a: Float = 0
      for k in 0..<count { a += base[Int(rows[k]) &* n &+ j] }
      out[j] = a
    }
  }

  @inline(__always)
  static func sequentialPass<V: ColumnStrip>(
    _: V.Type, _ base: UnsafePointer<Float>, n: Int, column j: Int, rows: UnsafePointer<Int32>, count: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    var a = V()
    for k in 0..<count { a = a.plus(V.load(base + (Int(rows[k]) &* n &+ j))) }
    a.store(out + j)
  }

  /// One pass over the rows for the `V.width` columns from `column` on, with the same
  /// per-element operations and order as the 64-column strips.
  @inline(__always)
  static func stripPass<V: ColumnStrip, W: RowWeights>(
    _: V.Type, _ base: UnsafePointer<Float>, n: Int, column j: Int, rows: UnsafePointer<Int32>, weights: W, count: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
  ) {
    var a = accumulate ? V.load(out + j) : V()
    var k = 0
    while k &+ 4 <= count {
      let p = V.load(base + (Int(rows[k]) &* n &+ j)), q = V.load(base + (Int(rows[k &+ 1]) &* n &+ j))
      let r = V.load(base + (Int(rows[k &+ 2]) &* n &+ j)), s = V.load(base + (Int(rows[k &+ 3]) &* n &+ j))
      if weights.fourAreOne(k) {
        // 1 * x is exactly x: the same bits without the multiplies (most binned counts are 1).
        a = a.plus(p.plus(q).plus(r.plus(s)))
      } else {
        a = a.plus(p.scaled(weights[k]).plus(q.scaled(weights[k &+ 1])).plus(r.scaled(weights[k &+ 2]).plus(s.scaled(weights[k &+ 3]))))
      }
      k &+= 4
    }
    while k < count {
      a = a.plus(V.load(base + (Int(rows[k]) &* n &+ j)).scaled(weights[k]))
      k &+= 1
    }
    a.store(out + j)
  }
}

/// A strip of columns held in registers by `SparseKernels.stripPass`. Concrete per width: the
/// SIMD operators reached through a generic `SIMD` parameter are the stdlib's lane-by-lane
/// fallbacks, which spill every value to the stack.
protocol ColumnStrip {
  init()
  static func load(_ p: UnsafePointer<Float>) -> Self
  func store(_ p: UnsafeMutablePointer<Float>)
  func plus(_ o: Self) -> Self
  /// `w * self` (exactly self for w = 1).
  func scaled(_ w: Float) -> Self
}

/// 64 columns as four 16-lane quarters.
struct ColumnStrip64: ColumnStrip {
  var a = SIMD16<Float>(), b = SIMD16<Float>(), c = SIMD16<Float>(), d = SIMD16<Float>()
  init() {}
  init(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>) { self.a = a; self.b = b; self.c = c; self.d = d }
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self { Self(.load(p), .load(p + 16), .load(p + 32), .load(p + 48)) }
  @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { a.store(p); b.store(p + 16); c.store(p + 32); d.store(p + 48) }
  @inline(__always) func plus(_ o: Self) -> Self { Self(a + o.a, b + o.b, c + o.c, d + o.d) }
  @inline(__always) func scaled(_ w: Float) -> Self { Self(w * a, w * b, w * c, w * d) }
}

/// 32 columns as two 16-lane halves.
struct ColumnStrip32: ColumnStrip {
  var lo = SIMD16<Float>(), hi = SIMD16<Float>()
  init() {}
  init(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>) { self.lo = lo; self.hi = hi }
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self { Self(.load(p), .load(p + 16)) }
  @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { lo.store(p); hi.store(p + 16) }
  @inline(__always) func plus(_ o: Self) -> Self { Self(lo + o.lo, hi + o.hi) }
  @inline(__always) func scaled(_ w: Float) -> Self { Self(w * lo, w * hi) }
}

/// Loads and stores are plain memory moves, right for any SIMD width; the arithmetic above is
/// spelled per concrete type.
extension ColumnStrip where Self: SIMD, Self.Scalar == Float {
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: Self.self) }
  @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }
}

extension SIMD16: ColumnStrip where Scalar == Float {
  @inline(__always) func plus(_ o: Self) -> Self { self + o }
  @inline(__always) func scaled(_ w: Float) -> Self { w * self }
}

extension SIMD8: ColumnStrip where Scalar == Float {
  @inline(__always) func plus(_ o: Self) -> Self { self + o }
  @inline(__always) func scaled(_ w: Float) -> Self { w * self }
}

extension SIMD4: ColumnStrip where Scalar == Float {
  @inline(__always) func plus(_ o: Self) -> Self { self + o }
  @inline(__always) func scaled(_ w: Float) -> Self { w * self }
}

extension SIMD2: ColumnStrip where Scalar == Float {
  @inline(__always) func plus(_ o: Self) -> Self { self + o }
  @inline(__always) func scaled(_ w: Float) -> Self { w * self }
}

/// The per-row weights of a row sum.
protocol RowWeights {
  subscript(k: Int) -> Float { get }
  /// Whether the weights of rows k ..< k + 4 are all 1.
  func fourAreOne(_ k: Int) -> Bool
  /// The weights from row k on.
  func advanced(by k: Int) -> Self
}

/// Spike counts of binned input events.
struct CountWeights: RowWeights {
  let values: UnsafePointer<Float>
  @inline(__always) subscript(k: Int) -> Float { values[k] }
  @inline(__always) func fourAreOne(_ k: Int) -> Bool {
    all(UnsafeRawPointer(values + k).loadUnaligned(as: SIMD4<Float>.self) .== SIMD4<Float>(repeating: 1))
  }
  @inline(__always) func advanced(by k: Int) -> CountWeights { CountWeights(values: values + k) }
}

/// Every row once (spikes are 0/1).
struct UnitWeights: RowWeights {
  @inline(__always) subscript(k: Int) -> Float { 1 }
  @inline(__always) func fourAreOne(_ k: Int) -> Bool { true }
  @inline(__always) func advanced(by k: Int) -> UnitWeights { self }
}
