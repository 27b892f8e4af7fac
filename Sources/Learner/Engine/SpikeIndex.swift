/// The spiking units of each cell (t, b) of a `[T][B][N]` spike tensor in CSR form: cell
/// `c = t*B + b` holds `units[offsets[c] ..< offsets[c+1]]`. Products with spike trains
/// (`s W`, `s V`, `s^T g`) then touch only the rows of units that fired: hidden layers fire in a
/// few percent of cells, so this beats a dense GEMM by the inverse of the rate.
final class SpikeIndex {
  let cellCapacity: Int
  let offsets: UnsafeMutablePointer<Int32>
  let units: UnsafeMutablePointer<Int32>
  private(set) var cells = 0
  /// Scratch for `transposedSum`.
  private var unitStart: [Int32] = []
  private var unitCells: [Int32] = []

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

  /// Appends `count` cells of width `n` from dense 0/1 (or non-zero = active) values. Blocks of
  /// eight values are first tested as raw bits (0.0 is all-zero bits), so the few-percent-active
  /// rows of a spiking layer cost little more than one pass of 32-byte loads.
  func append(_ values: UnsafePointer<Float>, count: Int, width n: Int) {
    var k = Int(offsets[cells])
    for c in 0..<count {
      let row = values + c * n
      var j = 0
      while j &+ 8 <= n {
        let raw = UnsafeRawPointer(row + j)
        let bits = raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
          | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        if bits != 0 {
          for jj in j..<(j &+ 8) where row[jj] != 0 {
            units[k] = Int32(truncatingIfNeeded: jj)
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

  /// Active entries in cells `lo ..< hi`.
  @inline(__always) func activeCount(_ lo: Int, _ hi: Int) -> Int { Int(offsets[hi] - offsets[lo]) }

  /// `out[c] (=|+=) sum over active j of cell c of w[j]` for cells `lo ..< hi` (rows of width n).
  func gatherRows(_ w: UnsafePointer<Float>, n: Int, cells lo: Int, _ hi: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
    for c in lo..<hi {
      RowSumKernels.plain(
        w, n: n, rows: units + Int(offsets[c]), count: Int(offsets[c + 1] - offsets[c]), into: out + (c - lo) * n,
        accumulate: accumulate)
    }
  }

  /// `g[j] = sum over cells c in lo ..< hi where j is active of rows[c - lo]`, for j in 0 ..< width:
  /// `X^T G` for a 0/1 matrix X, the weight gradient of a spike-driven product. The cells are
  /// regrouped unit-major first (counting sort, cell order kept), so each row of g is written once.
  func transposedSum(_ rows: UnsafePointer<Float>, n: Int, cells lo: Int, _ hi: Int, width: Int, into g: UnsafeMutablePointer<Float>) {
    let total = Int(offsets[hi] - offsets[lo])
    if unitStart.count != width + 1 { unitStart = [Int32](repeating: 0, count: width + 1) }
    if unitCells.count < total { unitCells = [Int32](repeating: 0, count: total) }
    unitStart.withUnsafeMutableBufferPointer { start in
      unitCells.withUnsafeMutableBufferPointer { cellsOf in
        for j in 0...width { start[j] = 0 }
        for e in Int(offsets[lo])..<Int(offsets[hi]) { start[Int(units[e]) + 1] += 1 }
        for j in 0..<width { start[j + 1] += start[j] }
        for c in lo..<hi {
          for e in Int(offsets[c])..<Int(offsets[c + 1]) {
            let j = Int(units[e])
            cellsOf[Int(start[j])] = Int32(c - lo)
            start[j] += 1
          }
        }
        // start[j] is now the end of unit j's list; its beginning is start[j - 1].
        for j in 0..<width {
          let b = j == 0 ? 0 : Int(start[j - 1]), e = Int(start[j])
          RowSumKernels.plain(rows, n: n, rows: cellsOf.baseAddress! + b, count: e - b, into: g + j * n, accumulate: false)
        }
      }
    }
  }
}
