import CHDF5
import Foundation
import XCTest

@testable import Storage

/// Hostile bags: column lengths and shapes are checked before any column is read.
final class BagFileBoundsTests: XCTestCase {
  /// A bag whose columns are written as given, then changed by `change`.
  private func bagFile(_ name: String, _ change: (HDF5File) throws -> Void) throws -> URL {
    try makeHDF5File(self, name) { f in
      try f.setAttribute("format", .string(BagFile.format))
      try f.writeVariableStrings("topics", ["a"])
      try f.writeVariableStrings("types", [""])
      try f.write("messages/time_ns", [Int64(0), 1])
      try f.writeRagged("messages/payload", [[UInt8(1)], [2]])
      try change(f)
    }
  }

  /// The columns' lengths are compared before any is read: a payload declaring 1e9 rows
  /// aborted allocating their descriptors, a topic column of 1e9 took 8 GB.
  func testColumnsDeclaringABillionMessagesAreRefusedUnread() throws {
    let url = try bagFile("sparse.h5") { f in
      try HostileHDF5.declare(f, "messages/topic", type: h5_T_STD_I32LE(), shape: [1_000_000_000])
    }
    XCTAssertThrowsError(try BagFile.read(url)) {
      XCTAssertEqual("\($0)", "\(url.path): malformed bag: messages disagree in length: topic 1000000000, time_ns 2, payload 2")
    }
  }

  func testATwoDimensionalTopicColumnIsMalformed() throws {
    let url = try bagFile("2d.h5") { try $0.write("messages/topic", [Int32(0), 0], shape: [1, 2]) }
    XCTAssertThrowsError(try BagFile.read(url)) {
      XCTAssertEqual("\($0)", "\(url.path): malformed bag: dataset 'messages/topic' has shape [1, 2], expected 1-D")
    }
  }
}
