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

  /// A chain of aliases (`a1: &a1 [*a0]`, ...) as long as `maxBytes` allows is refused by the
  /// node budget and released without overflowing the stack; a longer document is refused by
  /// its size before Yams sees it (50,000 levels crashed releasing the tree).
  func testAliasChainsAreBoundedBySizeAndBudget() {
    var lines = ["a0: &a0 [x]"], bytes = 12
    while case let line = "a\(lines.count): &a\(lines.count) [*a\(lines.count - 1)]", bytes + line.utf8.count + 1 <= BoundedYAML.maxBytes {
      lines.append(line)
      bytes += line.utf8.count + 1
    }
    XCTAssertGreaterThan(lines.count, 10_000)
    XCTAssertThrowsError(try BoundedYAML.load(lines.joined(separator: "\n"))) { error in
      XCTAssertEqual(error as? BoundedYAML.Problem, .tooLarge(maxNodes: BoundedYAML.maxNodes))
    }
    let long = lines.joined(separator: "\n") + "\n" + String(repeating: "#", count: BoundedYAML.maxBytes)
    XCTAssertThrowsError(try BoundedYAML.load(long)) { error in
      XCTAssertEqual(error as? BoundedYAML.Problem, .tooLong(bytes: long.utf8.count, maxBytes: BoundedYAML.maxBytes))
    }
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
