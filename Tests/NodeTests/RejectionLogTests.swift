import XCTest

@testable import Node

/// The rejection log's flood control, on a fake clock.
final class RejectionLogTests: XCTestCase {
  func testFirstOfEachKindIsLoggedAndTheRestSummarisedAtMostOncePerPeriod() {
    var log = RejectionLog(period: 10)
    XCTAssertEqual(
      log.record(.classCapacity, input: "label event", now: 100, detail: "class 99"),
      "rejected a label event: class_capacity (class 99); more rejections are summarised at most every 10 s")
    for i in 0..<1000 {
      let line = log.record(.classCapacity, input: "label event", now: 100 + Double(i) / 1000, detail: unexpectedDetail())
      XCTAssertNil(line)
    }
    XCTAssertEqual(log.record(.notProtobuf, input: "spike sample", now: 101, detail: ""), "rejected a spike sample: not_protobuf; more rejections are summarised at most every 10 s")
    XCTAssertNil(log.record(.notProtobuf, input: "spike sample", now: 102, detail: unexpectedDetail()))
    XCTAssertNil(log.summary(now: 110), "10 s after the last line (at 101), not before")
    XCTAssertEqual(log.summary(now: 111), "rejected in the last 10 s: label event class_capacity x1000, spike sample not_protobuf x1")
    XCTAssertNil(log.record(.classCapacity, input: "label event", now: 115, detail: unexpectedDetail()))
    XCTAssertNil(log.summary(now: 120), "within 10 s of the last line (the summary at 111)")
    XCTAssertEqual(log.summary(now: 121), "rejected in the last 10 s: label event class_capacity x1")
    XCTAssertNil(log.summary(now: 150), "nothing new")
  }

  private func unexpectedDetail() -> String {
    XCTFail("the detail of a repeated rejection is never built")
    return ""
  }
}
