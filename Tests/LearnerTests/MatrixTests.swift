import XCTest
@testable import Learner

final class MatrixTests: XCTestCase {
  func testRowMajorIndexing() {
    var m = Matrix(rows: 2, cols: 3)
    m[1, 2] = 5
    XCTAssertEqual(m.values[5], 5)
    XCTAssertEqual(m[1, 2], 5)
  }
}
