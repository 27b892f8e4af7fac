/// Row-sum kernels of the event-driven products: `out = sum_k w_k base[rows[k]]` over a short
/// list of rows of width n. Register-blocked: a 64-column strip of `out` lives in registers while
/// every listed row streams through it (no load or store of `out` per group of rows), then the
/// next strip; 8-column strips and a scalar tail cover any n. Every output element is computed with exactly the operations and order of the plain
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

  /// `y[0..<n] += x[0..<n]`.
  @inline(__always)
  static func add(n: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for i in 0..<n { y[i] += x[i] }
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
        let wp = weights[k], wq = weights[k &+ 1], wr = weights[k &+ 2], ws = weights[k &+ 3]
        a0 += (wp * load16(p) + wq * load16(q)) + (wr * load16(r) + ws * load16(s))
        a1 += (wp * load16(p + 16) + wq * load16(q + 16)) + (wr * load16(r + 16) + ws * load16(s + 16))
        a2 += (wp * load16(p + 32) + wq * load16(q + 32)) + (wr * load16(r + 32) + ws * load16(s + 32))
        a3 += (wp * load16(p + 48) + wq * load16(q + 48)) + (wr * load16(r + 48) + ws * load16(s + 48))
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
    while j &+ 8 <= n {
      var a = accumulate ? load8(out + j) : SIMD8<Float>()
      var k = 0
      while k &+ 4 <= count {
        let p = base + (Int(rows[k]) &* n &+ j), q = base + (Int(rows[k &+ 1]) &* n &+ j)
        let r = base + (Int(rows[k &+ 2]) &* n &+ j), s = base + (Int(rows[k &+ 3]) &* n &+ j)
        a += (weights[k] * load8(p) + weights[k &+ 1] * load8(q)) + (weights[k &+ 2] * load8(r) + weights[k &+ 3] * load8(s))
        k &+= 4
      }
      while k < count {
        a += weights[k] * load8(base + (Int(rows[k]) &* n &+ j))
        k &+= 1
      }
      store8(a, out + j)
      j &+= 8
    }
    while j < n {
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
      j &+= 1
    }
  }
}

/// The per-row weights of a row sum.
protocol RowWeights {
  subscript(k: Int) -> Float { get }
  /// The weights from row k on.
  func advanced(by k: Int) -> Self
}

/// Spike counts of binned input events.
struct CountWeights: RowWeights {
  let values: UnsafePointer<Float>
  @inline(__always) subscript(k: Int) -> Float { values[k] }
  @inline(__always) func advanced(by k: Int) -> CountWeights { CountWeights(values: values + k) }
}

/// Every row once (spikes are 0/1).
struct UnitWeights: RowWeights {
  @inline(__always) subscript(k: Int) -> Float { 1 }
  @inline(__always) func advanced(by k: Int) -> UnitWeights { self }
}
