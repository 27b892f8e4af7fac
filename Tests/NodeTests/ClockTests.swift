import XCTest

@testable import Node

/// `Clock.milliseconds` and `Clock.sleep` take any Double a user or a peer supplies without
/// trapping: NaN and negatives are 0, huge values are `Clock.longestWait`.
final class ClockTests: XCTestCase {
  func testMillisecondsRoundsUpAndClampsEveryDouble() {
    XCTAssertEqual(Clock.milliseconds(0.0015), 2)
    XCTAssertEqual(Clock.milliseconds(2.5), 2500)
    for zero in [0, -1, -.infinity, .nan, -Double.greatestFiniteMagnitude] { XCTAssertEqual(Clock.milliseconds(zero), 0, "\(zero)") }
    let longest = Int32(Clock.longestWait * 1000)
    for huge in [Clock.longestWait, 1e300, .infinity, Double(Int64.max)] { XCTAssertEqual(Clock.milliseconds(huge), longest, "\(huge)") }
  }

  func testSleepReturnsAtOnceForNaNAndNegativesAndSleepsAPositiveSpan() {
    let start = Clock.monotonicSeconds()
    for none: Double in [0, -5, .nan, -.infinity] { Clock.sleep(seconds: none) }
    XCTAssertLessThan(Clock.monotonicSeconds() - start, 1)
    let before = Clock.monotonicSeconds()
    Clock.sleep(seconds: 0.02)
    XCTAssertGreaterThanOrEqual(Clock.monotonicSeconds() - before, 0.019)
  }
}
