import XCTest
@testable import Learner

final class ReplayLatentSampleTests: XCTestCase {
  func testValidation() {
    XCTAssertThrowsError(try LatentSample(spikes: [0, 2], timesteps: 1, units: 2, label: 0)) {
      XCTAssertEqual($0 as? LatentSampleError, .notBinary(index: 1, value: 2))
    }
    XCTAssertThrowsError(try LatentSample(spikes: [0, 1, 1], timesteps: 1, units: 2, label: 0)) {
      XCTAssertEqual($0 as? LatentSampleError, .countMismatch(expected: 2, actual: 3))
    }
    XCTAssertThrowsError(try LatentSample(currents: [], timesteps: 0, units: 2, label: 0))
    XCTAssertThrowsError(try LatentSample(currents: [1], timesteps: 1, units: 1, label: -1)) {
      XCTAssertEqual($0 as? LatentSampleError, .negativeLabel(-1))
    }
    XCTAssertEqual(LatentKind(depth: 0), .currents)
    XCTAssertEqual(LatentKind(depth: 3), .spikes)
  }

  /// A sample cut from a `[T][B][N]` tensor and written back lands in the same column.
  func testBatchTensorExtractionAndWriteBack() throws {
    let (t, b, n) = (3, 4, 5)
    var rng = SeededRNG(seed: 40)
    let tensor: [Float] = (0..<(t * b * n)).map { _ in Bool.random(using: &rng) ? 1 : 0 }
    let s = try LatentSample(batchTensor: tensor, timesteps: t, batchSize: b, units: n, index: 2, label: 6, kind: .spikes)
    for step in 0..<t {
      for u in 0..<n { XCTAssertEqual(s[step, u], tensor[(step * b + 2) * n + u]) }
    }
    var out = [Float](repeating: -1, count: t * b * n)
    try s.write(into: &out, batchSize: b, index: 2)
    XCTAssertThrowsError(try s.write(into: &out, batchSize: b, index: 4))
    var short = [Float](repeating: 0, count: 3)
    XCTAssertThrowsError(try s.write(into: &short, batchSize: b, index: 0))
    for step in 0..<t {
      for u in 0..<n { XCTAssertEqual(out[(step * b + 2) * n + u], tensor[(step * b + 2) * n + u]) }
      XCTAssertEqual(out[(step * b + 1) * n], -1)  // other columns untouched
    }
    let currents = try LatentSample(batchTensor: tensor.map { $0 * 0.5 }, timesteps: t, batchSize: b, units: n, index: 0, label: 1, kind: .currents)
    XCTAssertEqual(currents[1, 3], tensor[(1 * b + 0) * n + 3] * 0.5)
    XCTAssertThrowsError(try LatentSample(batchTensor: tensor, timesteps: t, batchSize: b, units: n, index: 4, label: 0, kind: .spikes))
    XCTAssertThrowsError(try LatentSample(batchTensor: Array(tensor.dropLast()), timesteps: t, batchSize: b, units: n, index: 0, label: 0, kind: .spikes))
  }

  func testBitIdentityDistinguishesSignedZeroAndNaNPayloads() throws {
    let a = try LatentSample(currents: [0.0, 1], timesteps: 1, units: 2, label: 0)
    let b = try LatentSample(currents: [-0.0, 1], timesteps: 1, units: 2, label: 0)
    XCTAssertFalse(a.isBitIdentical(to: b))
    let n1 = try LatentSample(currents: [Float(bitPattern: 0x7FC0_0001)], timesteps: 1, units: 1, label: 0)
    let n2 = try LatentSample(currents: [Float(bitPattern: 0x7FC0_0002)], timesteps: 1, units: 1, label: 0)
    XCTAssertTrue(n1.isBitIdentical(to: n1))
    XCTAssertFalse(n1.isBitIdentical(to: n2))
  }
}
