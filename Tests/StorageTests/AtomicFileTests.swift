import Foundation
import XCTest

@testable import Storage

/// Atomic replacement leaves no debris: temporary files of writers that died mid-write are
/// removed by the next write, while a live writer's temporary file is left alone.
final class AtomicFileTests: XCTestCase {
  func testNextWriteRemovesTemporariesOfDeadWritersOnly() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("model.h5")

    // A pid that ran and exited: a finished child process.
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let deadPid = child.processIdentifier
    XCTAssertEqual(kill(deadPid, 0), -1, "the child must be gone for the test to mean anything")

    let stale = ".model.h5.tmp-\(deadPid)-12345"
    let live = ".model.h5.tmp-\(getpid())-777"
    let unrelated = ".other.h5.tmp-\(deadPid)-1"
    for name in [stale, live, unrelated] {
      XCTAssertTrue(FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data([1, 2, 3])))
    }

    try AtomicFile.write(to: target) { try Data("new".utf8).write(to: $0) }

    let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
    XCTAssertFalse(names.contains(stale), "a dead writer's temporary file is removed")
    XCTAssertTrue(names.contains(live), "a live writer's temporary file is kept")
    XCTAssertTrue(names.contains(unrelated), "other files' temporaries are not touched")
    XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "new")
  }
}
