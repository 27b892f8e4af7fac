import Foundation
import XCTest

@testable import Node

/// The configuration-file reader: a clear reason for each way a path is not a small text file.
final class TextFileTests: XCTestCase {
  func testReadsAFileAndAPipe() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/params.yaml"
    try "a: 1\n".write(toFile: path, atomically: true, encoding: .utf8)
    XCTAssertEqual(try TextFile.read(path), "a: 1\n")
    // As `<(...)` hands it over: a pipe, read to its end.
    let pipe = Pipe()
    pipe.fileHandleForWriting.write(Data("b: 2\n".utf8))
    try pipe.fileHandleForWriting.close()
    XCTAssertEqual(try TextFile.read("/proc/self/fd/\(pipe.fileHandleForReading.fileDescriptor)"), "b: 2\n")
  }

  func testEachUnreadablePathHasItsReason() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    func reason(_ path: String, limit: Int = TextFile.limit) -> String? {
      do {
        _ = try TextFile.read(path, limit: limit)
        return nil
      } catch { return (error as? TextFileError)?.reason }
    }
    XCTAssertEqual(reason(directory + "/nowhere.yaml"), "no such file or directory")
    XCTAssertEqual(reason(directory), "is a directory")
    XCTAssertEqual(reason("/dev/zero"), "is not a regular file (a device or socket)")
    let big = directory + "/big.yaml"
    try Data(count: 3 << 20).write(to: URL(fileURLWithPath: big))
    XCTAssertEqual(reason(big, limit: 2 << 20), "is larger than 2 MiB")
    XCTAssertNil(reason(big, limit: 3 << 20))
  }
}
