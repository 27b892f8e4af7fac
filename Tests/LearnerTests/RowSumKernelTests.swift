import XCTest
@testable import Learner

/// The event-driven row-sum kernels against plain loops, for every block-size path (64/16/8/scalar).
final class RowSumKernelTests: XCTestCase {
  func testRowSumsMatchNaiveSums() {
    var rng = SeededGenerator(seed: 1)
    for n in [1, 7, 8, 16, 20, 33, 50, 64, 100, 200, 203] {
      let rowsCount = 9
      let base = (0..<(rowsCount * n)).map { _ in Float(rng.nextGaussian()) }
      for count in [0, 1, 2, 5] {
        let rows = (0..<count).map { _ in Int32(rng.nextIndex(below: rowsCount)) }
        let weights = (0..<count).map { _ in Float(1 + rng.nextIndex(below: 3)) }
        let start = (0..<n).map { _ in Float(rng.nextGaussian()) }
        for accumulate in [false, true] {
          for weighted in [false, true] {
            var out = start
            base.withUnsafeBufferPointer { b in
              rows.withUnsafeBufferPointer { r in
                weights.withUnsafeBufferPointer { w in
                  out.withUnsafeMutableBufferPointer { o in
                    if weighted {
                      RowSumKernels.weighted(b.baseAddress!, n: n, rows: r.baseAddress ?? UnsafePointer(bitPattern: 8)!, weights: w.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, into: o.baseAddress!, accumulate: accumulate)
                    } else {
                      RowSumKernels.plain(b.baseAddress!, n: n, rows: r.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, into: o.baseAddress!, accumulate: accumulate)
                    }
                  }
                }
              }
            }
            for i in 0..<n {
              var expected: Float = accumulate ? start[i] : 0
              for k in 0..<count { expected += (weighted ? weights[k] : 1) * base[Int(rows[k]) * n + i] }
              XCTAssertEqual(out[i], expected, accuracy: 1e-5, "n \(n) count \(count) acc \(accumulate) weighted \(weighted) [\(i)]")
            }
          }
        }
      }
    }
  }

  func testSpikeIndexFindsEveryActiveUnit() {
    var rng = SeededGenerator(seed: 2)
    let cells = 5, n = 37
    let values = (0..<(cells * n)).map { _ in Float(rng.nextUniform() < 0.1 ? 1 : 0) }
    let index = SpikeIndex(cells: cells, width: n)
    values.withUnsafeBufferPointer { index.append($0.baseAddress!, count: cells, width: n) }
    for c in 0..<cells {
      let found = (Int(index.offsets[c])..<Int(index.offsets[c + 1])).map { Int(index.units[$0]) }
      XCTAssertEqual(found, (0..<n).filter { values[c * n + $0] != 0 }, "cell \(c)")
    }
  }
}
