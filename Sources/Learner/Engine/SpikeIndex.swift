import Foundation

/// The spiking units of each cell (t, b) of a `[T][B][N]` spike tensor in CSR form: cell
/// `c = t*B + b` holds `units[offsets[c] ..< offsets[c+1]]`. Products with spike trains
/// (`s W`, `s V`, `s^T g`) then touch only the rows of units that fired: hidden layers fire in a
/// few percent of cells, so this beats a dense GEMM by the inverse of the rate.
final class SpikeIndex {
  let cellCapacity: Int
  /// Active entries the index can hold (cells x width).
  let unitCapacity: Int
  let offsets: UnsafeMutablePointer<Int32>
  let units: UnsafeMutablePointer<Int32>
  private(set) var cells = 0
  /// Scratch of `transposedRowSums` (allocated on first use, grown to the spike count).
  private var unitOffsets: UnsafeMutablePointer<Int32>?
  private var unitOffsetsCapacity = 0
  private var unitCells: UnsafeMutablePointer<Int32>?
  private var unitCellsCapacity = 0

  init(cells: Int, width: Int) {
    cellCapacity = cells
    offsets = ZeroedMemory.allocate(Int32.self, count: cells + 1)
    unitCapacity = max(cells * width, 1)
    units = ZeroedMemory.allocate(Int32.self, count: unitCapacity)
  }

  deinit {
    free(offsets)
    free(units)
    unitOffsets?.deallocate()
    unitCells?.deallocate()
  }

  func reset() { cells = 0 }

  /// Appends `count` cells of width `n` from dense 0/1 (or non-zero = active) values.
  /// Sixteen values are tested at once and skipped together when all are zero (most are: layers
  /// fire in a few percent of cells); otherwise their active lanes become a bit mask whose set
  /// bits are the units, in ascending order.
  func append(_ values: UnsafePointer<Float>, count: Int, width n: Int) {
    var k = Int(offsets[cells])
    let zero = SIMD16<Float>()
    let laneBits = SIMD16<UInt32>(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
    for c in 0..<count {
      let row = values + c &* n
      var j = 0
      while j &+ 16 <= n {
        let active = SparseKernels.load16(row + j) .!= zero
        if any(active) {
          var mask = SIMD16<UInt32>().replacing(with: laneBits, where: active).wrappedSum()
          while mask != 0 {
            units[k] = Int32(truncatingIfNeeded: j &+ mask.trailingZeroBitCount)
            k &+= 1
            mask &= mask &- 1
          }
        }
        j &+= 16
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

  /// `g[u] = sum of rows[c - lo]` over the cells c in `lo ..< hi` where unit u fired, in
  /// ascending c (0 for a unit that never fired), for every unit u < `width`: `X^T G` for the
  /// 0/1 matrix X, the weight gradient of a spike-driven product. The active entries are first
  /// regrouped unit-major (a counting sort), so each gradient row is summed in registers and
  /// written once; the sums run in the order of adding the rows one by one into zeros.
  func transposedRowSums(
    _ rows: UnsafePointer<Float>, n: Int, cells lo: Int, _ hi: Int, width: Int, into g: UnsafeMutablePointer<Float>
  ) {
    let entries = activeCount(lo, hi)
    if unitOffsetsCapacity < width + 1 {
      unitOffsets?.deallocate()
      unitOffsets = .allocate(capacity: width + 1)
      unitOffsetsCapacity = width + 1
    }
    if unitCells == nil || unitCellsCapacity < entries {
      unitCells?.deallocate()
      unitCellsCapacity = max(entries, 64)
      unitCells = .allocate(capacity: unitCellsCapacity)
    }
    let start = unitOffsets!, cellOf = unitCells!
    start.update(repeating: 0, count: width + 1)
    for e in Int(offsets[lo])..<Int(offsets[hi]) { start[Int(units[e]) + 1] += 1 }
    for u in 0..<width { start[u + 1] += start[u] }
    // Fill in cell order, so each unit's cells are ascending; start[u] then ends unit u.
    for c in lo..<hi {
      for e in Int(offsets[c])..<Int(offsets[c + 1]) {
        let u = Int(units[e])
        cellOf[Int(start[u])] = Int32(truncatingIfNeeded: c &- lo)
        start[u] += 1
      }
    }
    var begin = 0
    for u in 0..<width {
      let end = Int(start[u])
      SparseKernels.sequentialRowSum(rows, n: n, rows: cellOf + begin, count: end - begin, into: g + u * n)
      begin = end
    }
  }

  /// Whether the index holds `cells` cells of `width` units.
  func fits(cells: Int, width: Int) -> Bool { cellCapacity >= cells && unitCapacity >= cells * width }

  /// Fills the index with the cells `(t, b)`, `c = t*B + b`, of B = `samples.count` event-form
  /// latents, one sample at a time (each sample's arrays are opened once, not once per step).
  func fill(_ samples: [SpikeLatent], timesteps T: Int) {
    let B = samples.count
    offsets[0] = 0
    for (b, s) in samples.enumerated() {
      s.stepOffsets.withUnsafeBufferPointer { so in
        for t in 0..<T { offsets[t &* B &+ b &+ 1] = so[t &+ 1] &- so[t] }
      }
    }
    for c in 0..<(T * B) { offsets[c + 1] += offsets[c] }
    for (b, s) in samples.enumerated() {
      s.stepOffsets.withUnsafeBufferPointer { so in
        s.units.withUnsafeBufferPointer { u in
          for t in 0..<T {
            let lo = Int(so[t])
            (units + Int(offsets[t &* B &+ b])).update(from: u.baseAddress! + lo, count: Int(so[t &+ 1]) &- lo)
          }
        }
      }
    }
    cells = T * B
  }
}
