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

  func testRowSumEqualsThePlainLoopForEveryWidth() {
    for n in [1, 2, 3, 5, 8, 13, 20, 31, 50, 64, 77, 100, 130, 200] {
      let w = matrix(rows: 90, n: n, seed: UInt64(n))
      for count in [0, 1, 3, 4, 7, 33, 70] {
        var rng = SeededGenerator(seed: UInt64(count * 7 + n))
        let rows = (0..<count).map { _ in Int32(rng.next() % 90) }
        let start = matrix(rows: 1, n: n, seed: 99)
        for accumulate in [false, true] {
          // Plain loop: groups of four rows per chunk of 32, `out += (a + b) + (c + d)`, then singly.
          var expected = accumulate ? start : [Float](repeating: 0, count: n)
          var k0 = 0
          repeat {
            let m = min(SparseKernels.chunkRows, count - k0)
            for j in 0..<n {
              var k = k0
              while k + 4 <= k0 + m {
                let r = rows[k..<(k + 4)].map { w[Int($0) * n + j] }
                expected[j] += (r[0] + r[1]) + (r[2] + r[3])
                k += 4
              }
              while k < k0 + m {
                expected[j] += w[Int(rows[k]) * n + j]
                k += 1
              }
            }
            k0 += m
          } while k0 < count
          var out = start
          w.withUnsafeBufferPointer { wp in
            rows.withUnsafeBufferPointer { rp in
              out.withUnsafeMutableBufferPointer { op in
                SparseKernels.rowSum(wp.baseAddress!, n: n, units: rp.baseAddress!, count: count, into: op.baseAddress!, accumulate: accumulate)
              }
            }
          }
          XCTAssertEqual(out, expected, "n \(n), \(count) rows, accumulate \(accumulate)")
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
