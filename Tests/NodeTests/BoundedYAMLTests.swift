import XCTest

@testable import Node

/// The YAML guards every file the tools read goes through.
final class BoundedYAMLTests: XCTestCase {
  /// Nine levels of ten aliases expand to 10^9 nodes: refused after `maxNodes`, not expanded.
  func testAnAliasBombIsRefusedQuickly() throws {
    var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in 1...9 {
      lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
    }
    let start = Clock.monotonicSeconds()
    XCTAssertThrowsError(try BoundedYAML.load(lines.joined(separator: "\n"))) { error in
      XCTAssertEqual(error as? BoundedYAML.Problem, .tooLarge(maxNodes: BoundedYAML.maxNodes))
    }
    XCTAssertLessThan(Clock.monotonicSeconds() - start, 30)  // a hang guard, not a benchmark
  }

  /// `? [a, b] : 1` is valid YAML, but Yams' constructor traps on the list key.
  func testAComplexKeyIsAnErrorNamingItsLine() {
    XCTAssertThrowsError(try BoundedYAML.load("n:\n  ros__parameters:\n    ? [a, b]\n    : 1\n")) { error in
      XCTAssertEqual(error as? BoundedYAML.Problem, .complexKey(line: 3))
    }
  }

  /// Ordinary documents load, anchors and merge keys included.
  func testOrdinaryDocumentsLoadAsYamsLoadsThem() throws {
    let text = """
      base: &base {hwm: 5, topics: [a, b]}
      node:
        <<: *base
        name: drone
      """
    let loaded = try XCTUnwrap(try BoundedYAML.load(text) as? [String: Any])
    let node = try XCTUnwrap(loaded["node"] as? [String: Any])
    XCTAssertEqual(node["hwm"] as? Int, 5)
    XCTAssertEqual(node["topics"] as? [String], ["a", "b"])
    XCTAssertEqual(node["name"] as? String, "drone")
    XCTAssertNil(try BoundedYAML.load(""))
  }
}
