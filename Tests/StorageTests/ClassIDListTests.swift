import XCTest
import Storage

final class ClassIDListTests: XCTestCase {
  func testIdsRangesAndListsParseToSortedUniqueIds() throws {
    XCTAssertEqual(try ClassIDList(parsing: "3").ids, [3])
    XCTAssertEqual(try ClassIDList(parsing: "0-3").ids, [0, 1, 2, 3])
    XCTAssertEqual(try ClassIDList(parsing: " 17-19, 15 ,0-1,15").ids, [0, 1, 15, 17, 18, 19])
    XCTAssertEqual(try ClassIDList(parsing: "0 - 2").ids, [0, 1, 2])
    XCTAssertEqual(try ClassIDList(parsing: "65535").ids, [65535])
  }

  func testAllMeansEveryClass() throws {
    XCTAssertNil(try ClassIDList(parsing: "all").ids)
    XCTAssertNil(try ClassIDList(parsing: " ALL ").ids)
    XCTAssertThrowsError(try ClassIDList(parsing: "all,3"))
  }

  /// A YAML list's items are pieces; an item may itself be a comma list.
  func testPiecesFromAListAreParsedLikeText() throws {
    XCTAssertEqual(try ClassIDList(pieces: ["0", "3-4", "9,7"]).ids, [0, 3, 4, 7, 9])
    XCTAssertEqual(try ClassIDList(pieces: ["0-18"]).ids, Array(0...18))
    XCTAssertEqual(try ClassIDList(pieces: []).ids, [])
    XCTAssertThrowsError(try ClassIDList(pieces: ["1", "all,2"]))
  }

  func testMalformedPiecesAreNamedErrors() {
    let cases = [
      ("-1", "'-1' is not a class id or a range like 0-18"),
      ("0--1", "'0--1' is not a class id"),
      ("1-2-3", "'1-2-3' is not a class id"),
      ("0,,1", "'' is not a class id"),
      ("x", "'x' is not a class id"),
      ("0-99999999999999999999", "is not a class id"),
      ("0-9223372036854775807", "'0-9223372036854775807': class ids are 0...65535"),
      ("65536", "class ids are 0...65535"),
      ("5-3", "'5-3': the range ends below its start"),
    ]
    for (text, message) in cases {
      XCTAssertThrowsError(try ClassIDList(parsing: text), text) { error in
        XCTAssertTrue("\(error)".contains(message), "\(text): \(error)")
      }
    }
  }

  func testSummaryJoinsRuns() {
    XCTAssertEqual(ClassIDList.summary([3, 0, 1, 2, 9, 15, 14, 9]), "0-3,9,14-15")
    XCTAssertEqual(ClassIDList.summary([]), "")
  }
}
