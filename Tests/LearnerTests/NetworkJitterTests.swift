import XCTest
@testable import Learner

/// `Network.jitterWeights`: a rounding-sized change of every weight, repeatable by seed, by the
/// formula `Benchmarks/pytorch/perturbed_seed.py` applies to the PyTorch twin.
final class NetworkJitterTests: XCTestCase {
  func testJitterFollowsTheDocumentedFormulaAndRepeatsBySeed() throws {
    let base = try Network(config: .reference(timesteps: 40, seed: 1))
    var a = base, b = base, c = base
    a.jitterWeights(seed: 5)
    b.jitterWeights(seed: 5)
    c.jitterWeights(seed: 6)
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
    XCTAssertNotEqual(a, base)

    // The draws run over the parameters in name order, row-major: W1 first, Wout's last element last.
    var rng = SeededGenerator(seed: 5)
    var expected: [Float] = []
    for (_, m) in base.namedParameters {
      for w in m.values { expected.append(Float(Double(w) * (1 + 0x1p-23 * rng.nextGaussian()))) }
    }
    XCTAssertEqual(a.namedParameters.flatMap(\.matrix.values), expected)
  }

  func testJitterMovesMostWeightsByAFewFloatRoundingsOnly() throws {
    let base = try Network(config: .reference(timesteps: 40, seed: 1))
    var jittered = base
    jittered.jitterWeights(seed: 9)
    var changed = 0, total = 0, largestULPs = 0
    for ((_, before), (_, after)) in zip(base.namedParameters, jittered.namedParameters) {
      for (w, v) in zip(before.values, after.values) {
        total += 1
        if w != v { changed += 1 }
        largestULPs = max(largestULPs, Int(abs(Double(v - w)) / Double(w.ulp)))
      }
    }
    XCTAssertGreaterThan(Double(changed) / Double(total), 0.3)  // |n| above ~1/2 crosses a rounding boundary
    XCTAssertLessThanOrEqual(largestULPs, 8)
  }
}
