import XCTest
@testable import Cochlea

/// Meddis hair cell against lauscher 1.0.1 (reference README §2.1).
final class HairCellTests: XCTestCase {
  func testRestingStateMatchesReference() throws {
    let ref = try loadFixture("hair_cell")
    let rest = try XCTUnwrap(ref["resting_state"] as? [String: Double])
    let s = MeddisParameters().restingState
    XCTAssertEqual(s.c, rest["c"]!, accuracy: 1e-15)
    XCTAssertEqual(s.q, rest["q"]!, accuracy: 1e-15)
    XCTAssertEqual(s.w, rest["w"]!, accuracy: 1e-15)
  }

  func testProbabilitiesMatchLauscherWithin1e4Relative() throws {
    let ref = try loadFixture("hair_cell")
    let input = matrix(ref["input_bm"]).map { $0.map(Float.init) }
    let expected = matrix(ref["output_prob"])
    XCTAssertEqual(input.count, 3)
    let out = MeddisHairCell.probabilities(input, parameters: MeddisParameters(), rate: 24_000)
    var worst = 0.0
    for (o, e) in zip(out, expected) {
      XCTAssertEqual(o.count, e.count)
      for (a, b) in zip(o, e) { worst = max(worst, abs(Double(a) - b) / abs(b)) }
    }
    XCTAssertLessThan(worst, 1e-4, "worst relative error \(worst)")
  }
}
