import Foundation
import XCTest

@testable import Node

/// Base of the tests that run `r4ncl` tools as processes, often against a node in the test
/// process: skips when the executable is not built, gives each test a fresh `directory`, and
/// stops `runtime` (if a test started one) after it.
class ToolProcessTestCase: XCTestCase {
  var runtime: NodeRuntime?
  var directory = ""

  override func setUpWithError() throws {
    guard Paths.r4ncl != nil else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    directory = try temporaryDirectory()
  }

  override func tearDown() {
    if let runtime {
      runtime.requestShutdown()
      XCTAssertTrue(runtime.waitUntilStopped(timeout: 10))
    }
    runtime = nil
    try? FileManager.default.removeItem(atPath: directory)
  }
}
