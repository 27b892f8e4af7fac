import XCTest
@testable import Learner

final class ReplayLatentSampleTests: XCTestCase {
  func testValidationForReplay() throws {
    XCTAssertNoThrow(try LatentSample(depth: 1, timesteps: 1, width: 2, values: [0, 1], label: 0).validateForReplay())
    XCTAssertNoThrow(try LatentSample(depth: 0, timesteps: 1, width: 2, values: [-0.3, .nan], label: nil).validateForReplay())
    XCTAssertThrowsError(try LatentSample(depth: 2, timesteps: 1, width: 2, values: [0, 2], label: 0).validateForReplay()) {
      XCTAssertEqual($0 as? LatentSampleError, .notBinary(index: 1, value: 2))
    }
    XCTAssertThrowsError(try LatentSample(depth: -1, timesteps: 1, width: 1, values: [0], label: 0).validateForReplay()) {
      XCTAssertEqual($0 as? LatentSampleError, .negativeDepth(-1))
    }
    XCTAssertThrowsError(try LatentSample(depth: 0, timesteps: 0, width: 2, values: [], label: 0).validateForReplay())
    XCTAssertThrowsError(try LatentSample(depth: 0, timesteps: 1, width: 1, values: [1], label: -1).validateForReplay()) {
      XCTAssertEqual($0 as? LatentSampleError, .negativeLabel(-1))
    }
    var wrongCount = LatentSample(depth: 0, timesteps: 1, width: 2, values: [1, 2], label: 0)
    wrongCount.values.append(3)
    XCTAssertThrowsError(try wrongCount.validateForReplay()) {
      XCTAssertEqual($0 as? LatentSampleError, .countMismatch(expected: 2, actual: 3))
    }
    XCTAssertEqual(LatentKind(depth: 0), .currents)
    XCTAssertEqual(LatentKind(depth: 3), .spikes)
  }

  func testBitIdentityDistinguishesSignedZeroAndNaNPayloads() {
    let a = LatentSample(depth: 0, timesteps: 1, width: 2, values: [0.0, 1], label: 0)
    let b = LatentSample(depth: 0, timesteps: 1, width: 2, values: [-0.0, 1], label: 0)
    XCTAssertEqual(a, b)  // Float == says equal ...
    XCTAssertFalse(a.isBitIdentical(to: b))  // ... the bits differ.
    let n1 = LatentSample(depth: 0, timesteps: 1, width: 1, values: [Float(bitPattern: 0x7FC0_0001)], label: 0)
    let n2 = LatentSample(depth: 0, timesteps: 1, width: 1, values: [Float(bitPattern: 0x7FC0_0002)], label: 0)
    XCTAssertTrue(n1.isBitIdentical(to: n1))
    XCTAssertFalse(n1.isBitIdentical(to: n2))
    XCTAssertFalse(a.isBitIdentical(to: LatentSample(depth: 0, timesteps: 1, width: 2, values: [0.0, 1], label: nil)))
  }
}
