import XCTest

@testable import Node

/// The node's per-teacher accounts of label events (`NodeStatus.teachers`).
final class TeacherLedgersTests: XCTestCase {
  func testEventsAreCountedPerTeacherWithTheirSamplesAndRefusals() {
    var ledgers = TeacherLedgers()
    ledgers.record(teacher: "b", sequence: 1)
    ledgers.record(teacher: "b", sequence: 2, acknowledged: 5)
    ledgers.record(teacher: "a", sequence: 7, problem: "unknown_class (5 samples of class 9)")
    ledgers.record(teacher: "b", sequence: 3, acknowledged: 4)

    let entries = ledgers.ledgers
    XCTAssertEqual(entries.map(\.teacher), ["a", "b"])
    XCTAssertEqual(entries[0].events, 1)
    XCTAssertEqual(entries[0].refusedEvents, 1)
    XCTAssertEqual(entries[0].samplesAcknowledged, 0)
    XCTAssertEqual(entries[0].lastProblem, "unknown_class (5 samples of class 9)")
    XCTAssertEqual(entries[0].lastSequence, 7)
    XCTAssertEqual(entries[1].events, 3)
    XCTAssertEqual(entries[1].refusedEvents, 0)
    XCTAssertEqual(entries[1].samplesAcknowledged, 9)
    XCTAssertEqual(entries[1].lastSequence, 3)
    XCTAssertEqual(entries[1].lastProblem, "")
  }

  func testTheLeastRecentlyHeardTeacherIsForgottenFirst() {
    var ledgers = TeacherLedgers(capacity: 2)
    ledgers.record(teacher: "old", sequence: 1)
    ledgers.record(teacher: "busy", sequence: 1)
    ledgers.record(teacher: "old", sequence: 2)
    ledgers.record(teacher: "new", sequence: 1)
    XCTAssertEqual(ledgers.ledgers.map(\.teacher), ["new", "old"])
    XCTAssertEqual(ledgers.ledgers.last?.events, 2)
  }
}
