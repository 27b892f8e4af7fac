import XCTest
@testable import Cochlea

/// Bushy-cell LIF against lauscher 1.0.1 on fixed fibre counts (reference README §2.2).
final class BushyCellTests: XCTestCase {
  func testSpikeIndicesExactlyEqualReference() throws {
    let ref = try loadFixture("bushy_cell_fixed")
    let counts = matrix(ref["fiber_counts"]).map { $0.map { Int($0) } }
    let expected = matrix(ref["spike_indices"]).map { $0.map { Int($0) } }
    XCTAssertEqual(counts.count, 3)
    let out = BushyCell.spikeIndices(counts: counts, parameters: BushyParameters(), rate: 24_000)
    XCTAssertEqual(out, expected)
    XCTAssertEqual(out.map(\.count), [7, 42, 154])
  }
}
