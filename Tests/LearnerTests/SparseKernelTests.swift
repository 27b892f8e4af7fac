import XCTest
@testable import Learner

/// The event-driven kernels are blocked for speed (column strips of 64/32/16/8/4/2/1, chunks of
/// rows, a unit-major regrouping for gradients) but must give the bits of the plain loops they
/// replace: training trajectories, and the tests and numbers built on them, depend on it.
final class SparseKernelTests: XCTestCase {
  /// A `[rows][n]` matrix of values whose sums round differently in different orders.
  func matrix(rows: Int, n: Int, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<(rows * n)).map { _ in Float(rng.nextGaussian()) * 1e3 + Float(rng.nextGaussian()) * 1e-3 }
  }

  /// Random 0/1 spikes `[cells][width]` with the given density.
  func spikes(cells: Int, width: Int, density: Double, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<(cells * width)).map { _ in rng.nextUniform() < density ? 1 : 0 }
  }

  /// The plain loop the row sums must reproduce: chunks of 32 rows, groups of four
  /// `out += (wa a + wb b) + (wc c + wd d)`, then rows singly.
  func plainRowSum(_ w: [Float], n: Int, rows: [Int32], weights: [Float], start: [Float]) -> [Float] {
    var out = start
    var k0 = 0
    repeat {
      let m = min(SparseKernels.chunkRows, rows.count - k0)
      for j in 0..<n {
        var k = k0
        while k + 4 <= k0 + m {
          let r = (k..<(k + 4)).map { weights[$0] * w[Int(rows[$0]) * n + j] }
          out[j] += (r[0] + r[1]) + (r[2] + r[3])
          k += 4
        }
        while k < k0 + m {
          out[j] += weights[k] * w[Int(rows[k]) * n + j]
          k += 1
        }
      }
      k0 += m
    } while k0 < rows.count
    return out
  }

  func testRowSumsEqualThePlainLoopForEveryWidth() {
    for n in [1, 2, 3, 5, 8, 13, 20, 31, 50, 64, 77, 100, 130, 200] {
      let w = matrix(rows: 90, n: n, seed: UInt64(n))
      for count in [0, 1, 3, 4, 7, 33, 70] {
        var rng = SeededGenerator(seed: UInt64(count * 7 + n))
        let rows = (0..<count).map { _ in Int32(rng.next() % 90) }
        // Binned counts: mostly 1 (the kernel's multiply-free groups), some 2 and 3.
        let counts = (0..<count).map { _ in Float([1, 1, 1, 1, 1, 2, 3][rng.nextIndex(below: 7)]) }
        let start = matrix(rows: 1, n: n, seed: 99)
        for accumulate in [false, true] {
          let zero = [Float](repeating: 0, count: n)
          var spikeOut = start, countOut = start
          w.withUnsafeBufferPointer { wp in
            rows.withUnsafeBufferPointer { rp in
              counts.withUnsafeBufferPointer { cp in
                spikeOut.withUnsafeMutableBufferPointer {
                  SparseKernels.rowSum(wp.baseAddress!, n: n, units: rp.baseAddress!, count: count, into: $0.baseAddress!, accumulate: accumulate)
                }
                countOut.withUnsafeMutableBufferPointer {
                  SparseKernels.weightedRowSum(
                    wp.baseAddress!, n: n, rows: rp.baseAddress!, weights: cp.baseAddress!, count: count, into: $0.baseAddress!,
                    accumulate: accumulate)
                }
              }
            }
          }
          let ones = [Float](repeating: 1, count: count)
          XCTAssertEqual(spikeOut, plainRowSum(w, n: n, rows: rows, weights: ones, start: accumulate ? start : zero), "spikes: n \(n), \(count) rows, accumulate \(accumulate)")
          XCTAssertEqual(countOut, plainRowSum(w, n: n, rows: rows, weights: counts, start: accumulate ? start : zero), "counts: n \(n), \(count) rows, accumulate \(accumulate)")
        }
      }
    }
  }

  func testTransposedRowSumsEqualTheScatterInCellOrder() {
    for (width, n) in [(1, 3), (7, 20), (50, 50), (100, 50), (100, 64), (33, 131)] {
      let cells = 60, lo = 5, hi = 52
      let s = spikes(cells: cells, width: width, density: 0.2, seed: UInt64(width))
      let rows = matrix(rows: hi - lo, n: n, seed: UInt64(n))
      let index = SpikeIndex(cells: cells, width: width)
      s.withUnsafeBufferPointer { index.append($0.baseAddress!, count: cells, width: width) }
      // Scatter in cell order: g[u] += rows[c - lo] for each spike of unit u in cell c.
      var expected = [Float](repeating: 0, count: width * n)
      for c in lo..<hi {
        for u in 0..<width where s[c * width + u] != 0 {
          for j in 0..<n { expected[u * n + j] += rows[(c - lo) * n + j] }
        }
      }
      var g = [Float](repeating: .nan, count: width * n)
      rows.withUnsafeBufferPointer { rp in
        g.withUnsafeMutableBufferPointer { index.transposedRowSums(rp.baseAddress!, n: n, cells: lo, hi, width: width, into: $0.baseAddress!) }
      }
      XCTAssertEqual(g, expected, "width \(width), n \(n)")
      XCTAssertTrue(expected.contains { $0 != 0 }, "the case must have spikes")
    }
  }

  func testTransposedRowSumsOfSilentCellsAreZero() {
    let index = SpikeIndex(cells: 8, width: 5)
    let silent = [Float](repeating: 0, count: 8 * 5), rows = matrix(rows: 8, n: 3, seed: 1)
    silent.withUnsafeBufferPointer { index.append($0.baseAddress!, count: 8, width: 5) }
    var g = [Float](repeating: .nan, count: 5 * 3)
    rows.withUnsafeBufferPointer { rp in
      g.withUnsafeMutableBufferPointer { index.transposedRowSums(rp.baseAddress!, n: 3, cells: 0, 8, width: 5, into: $0.baseAddress!) }
    }
    XCTAssertEqual(g, [Float](repeating: 0, count: 5 * 3))
  }

  func testAppendListsTheActiveUnitsOfEveryCell() {
    for width in [1, 15, 16, 17, 50, 100, 200] {
      let cells = 40
      let s = spikes(cells: cells, width: width, density: 0.1, seed: UInt64(width + 3))
      let index = SpikeIndex(cells: cells, width: width)
      s.withUnsafeBufferPointer { p in
        index.append(p.baseAddress!, count: 25, width: width)
        index.append(p.baseAddress! + 25 * width, count: cells - 25, width: width)
      }
      XCTAssertEqual(index.cells, cells)
      for c in 0..<cells {
        let listed = (Int(index.offsets[c])..<Int(index.offsets[c + 1])).map { Int(index.units[$0]) }
        XCTAssertEqual(listed, (0..<width).filter { s[c * width + $0] != 0 }, "width \(width), cell \(c)")
      }
    }
  }

  func testFillFromEventLatentsIsTimeMajor() {
    let T = 6, width = 30
    let latents = (0..<3).map { b -> SpikeLatent in
      let dense = spikes(cells: T, width: width, density: 0.15 * Double(b + 1), seed: UInt64(b + 40))
      return SpikeLatent(LatentSample(depth: 2, timesteps: T, width: width, values: dense, label: b))
    }
    let index = SpikeIndex(cells: T * 3, width: width)
    index.fill(latents, timesteps: T)
    XCTAssertEqual(index.cells, T * 3)
    for t in 0..<T {
      for (b, s) in latents.enumerated() {
        let c = t * 3 + b
        let listed = Array(UnsafeBufferPointer(start: index.units + Int(index.offsets[c]), count: index.activeCount(c, c + 1)))
        XCTAssertEqual(listed, Array(s.units[Int(s.stepOffsets[t])..<Int(s.stepOffsets[t + 1])]), "t \(t), sample \(b)")
      }
    }
  }
}
