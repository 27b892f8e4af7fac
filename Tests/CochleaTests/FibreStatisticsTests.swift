import XCTest
@testable import Cochlea

/// Binomial fibre sampling + refractoriness + bushy LIF against lauscher's per-fibre statistics
/// (reference README §2.3): 200 seeds of our own generator, 1 s at constant p.
final class FibreStatisticsTests: XCTestCase {
  func testStatisticsMatchLauscher() throws {
    let ref = try loadFixture("bushy_cell_stats")
    let stats = try XCTUnwrap(ref["stats"] as? [String: [String: Any]])
    XCTAssertEqual(stats.count, 7)
    for key in stats.keys.sorted() {
      let row = try XCTUnwrap(stats[key])
      let p = Float(key)!
      let runs = CochleaStream.constantProbabilityRuns(
        p: p, runs: 200, samples: 24_000, seed: 2024, cochlea: Cochlea())
      let bushy = runs.bushy.map(Double.init), fibre = runs.fibre.map(Double.init)
      let mean = bushy.reduce(0, +) / 200
      let variance = bushy.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 199
      let sem = (variance / 200).squareRoot()
      let refMean = (row["bushy_spikes_mean"] as! NSNumber).doubleValue
      let refSem = (row["bushy_spikes_sem"] as! NSNumber).doubleValue
      let bound = 4 * (sem * sem + refSem * refSem).squareRoot() + 0.05
      print("p \(key): bushy mean \(mean) sem \(sem) (lauscher \(refMean) sem \(refSem))")
      XCTAssertLessThanOrEqual(abs(mean - refMean), bound, "p \(key): mean \(mean) vs \(refMean)")
      // Kept fibre spikes: 40 * 24000 * p / (1 + 23 p) expected.
      let fibreMean = fibre.reduce(0, +) / 200
      let expected = (row["fiber_spikes_total_expected"] as! NSNumber).doubleValue
      XCTAssertEqual(fibreMean, expected, accuracy: 5 * expected.squareRoot() / 200.0.squareRoot() + 1)
      if key == "0.001" { XCTAssertGreaterThanOrEqual(bushy.filter { $0 == 0 }.count, 199) }
    }
  }
}
