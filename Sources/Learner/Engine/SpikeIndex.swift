/// The spiking units of each cell (t, b) of a `[T][B][N]` spike tensor in CSR form: cell
/// `c = t*B + b` holds `units[offsets[c] ..< offsets[c+1]]`. Products with spike trains
/// (`s W`, `s V`, `s^T g`) then touch only the rows of units that fired: hidden layers fire in a
/// few percent of cells, so this beats a dense GEMM by the inverse of the rate.
final class SpikeIndex {
  let cellCapacity: Int
  let offsets: UnsafeMutablePointer<Int32>
  let units: UnsafeMutablePointer<Int32>
  private(set) var cells = 0

  init(cells: Int, width: Int) {
    cellCapacity = cells
    offsets = .allocate(capacity: cells + 1)
    offsets.initialize(repeating: 0, count: cells + 1)
    units = .allocate(capacity: max(cells * width, 1))
    units.initialize(repeating: 0, count: max(cells * width, 1))
  }

  deinit {
    offsets.deallocate()
    units.deallocate()
  }

  func reset() { cells = 0 }

  /// Appends `count` cells of width `n` from dense 0/1 (or non-zero = active) values.
  /// Eight values are tested at once and skipped together when all are zero (most are: layers
  /// fire in a few percent of cells).
  func append(_ values: UnsafePointer<Float>, count: Int, width n: Int) {
    var k = Int(offsets[cells])
    let zero = SIMD8<Float>()
    for c in 0..<count {
      let row = values + c &* n
      var j = 0
      while j &+ 8 <= n {
        let active = SparseKernels.load8(row + j) .!= zero
        if any(active) {
          for i in 0..<8 where active[i] {
            units[k] = Int32(truncatingIfNeeded: j &+ i)
            k &+= 1
          }
        }
        j &+= 8
      }
      while j < n {
        if row[j] != 0 {
          units[k] = Int32(truncatingIfNeeded: j)
          k &+= 1
        }
        j &+= 1
      }
      offsets[cells + c + 1] = Int32(k)
    }
    cells += count
  }

  /// Appends one cell whose active units (ascending) are `units[0 ..< count]`.
  func appendCell(_ units: UnsafePointer<Int32>, count: Int) {
    let k = Int(offsets[cells])
    (self.units + k).update(from: units, count: count)
    offsets[cells + 1] = Int32(k + count)
    cells += 1
  }

  /// Active entries in cells `lo ..< hi`.
  @inline(__always) func activeCount(_ lo: Int, _ hi: Int) -> Int { Int(offsets[hi] - offsets[lo]) }

  /// `out[c] (=|+=) sum over active j of cell c of w[j]` for cells `lo ..< hi` (rows of width n).
  func gatherRows(_ w: UnsafePointer<Float>, n: Int, cells lo: Int, _ hi: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
    for c in lo..<hi {
      SparseKernels.rowSum(
        w, n: n, units: units + Int(offsets[c]), count: Int(offsets[c + 1] - offsets[c]), into: out + (c - lo) * n, accumulate: accumulate)
    }
  }

  /// `g[j] += rows[c]` for every active j of cell c, cells `lo ..< hi` (`rows` starts at cell lo).
  /// This is `X^T G` for a 0/1 matrix X: the weight gradient of a spike-driven product.
  func scatterRows(_ rows: UnsafePointer<Float>, n: Int, cells lo: Int, _ hi: Int, into g: UnsafeMutablePointer<Float>) {
    for c in lo..<hi {
      let src = rows + (c - lo) * n
      for e in Int(offsets[c])..<Int(offsets[c + 1]) {
        SparseKernels.add(n: n, x: src, y: g + Int(units[e]) * n)
      }
    }
  }
}
