import CHDF5
import Foundation
import Learner
import XCTest

@testable import Storage

/// Variable-length datasets whose heap references are corrupted on disk: libhdf5 1.10 crashed
/// reading them (SIGSEGV in H5HG_read) or returned bytes from outside the row. Each is now an
/// `HDF5Error.corruptVariableLength` naming the file and the dataset, found before H5Dread.
final class HDF5GlobalHeapCheckTests: XCTestCase {
  /// Payloads of 12 bytes each, distinct, so each heap object can be found by its bytes.
  private static let payloads = (0..<6).map { Array(String(format: "payload-%04d", $0).utf8) }

  /// A bag of six 12-byte messages on two topics, written by `BagFile.write`.
  private func bag(_ name: String) throws -> URL {
    let url = try makeTemporaryDirectory(self).appendingPathComponent(name)
    let messages = Self.payloads.enumerated().map { i, payload in
      BagMessage(topic: i % 2 == 0 ? "r4ncl/even" : "r4ncl/odd", timeNs: Int64(i), payload: payload)
    }
    try BagFile.write(Bag(messages: messages, types: ["r4ncl/even": "E", "r4ncl/odd": "O"]), to: url)
    return url
  }

  /// The absolute file offset of the contiguous data (row descriptors) of dataset `path`.
  private func dataOffset(_ url: URL, _ path: String) throws -> Int {
    try HDF5Library.serialized {
      let file = try HDF5File.open(url)
      defer { try? file.close() }
      let dataset = try file.openDataset(path)
      var offset: UInt64 = 0
      withExtendedLifetime(dataset) { XCTAssertEqual(h5_contiguous_data_offset(dataset.id, &offset), 1) }
      return Int(offset)
    }
  }

  /// Offset of the heap object header holding `bytes` (its data follows the 16-byte header).
  private func heapObject(_ url: URL, holding bytes: [UInt8]) throws -> Int {
    let data = [UInt8](try Data(contentsOf: url))
    let start = try XCTUnwrap(
      (16..<(data.count - bytes.count)).first { Array(data[$0..<($0 + bytes.count)]) == bytes })
    XCTAssertEqual(littleEndian(data, start - 8, 8), UInt64(bytes.count), "the header before the bytes gives their size")
    return start - 16
  }

  private func littleEndian(_ data: [UInt8], _ at: Int, _ count: Int) -> UInt64 {
    (0..<count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(data[at + $1]) }
  }

  /// Overwrites `count` bytes at `offset` with `value`, little-endian.
  private func patch(_ url: URL, at offset: Int, _ value: UInt64, bytes count: Int) throws {
    var data = [UInt8](try Data(contentsOf: url))
    for i in 0..<count { data[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    try Data(data).write(to: url)
  }

  /// The stored {length, collection address, object index} of row `row` of dataset `path`.
  private func descriptor(_ url: URL, _ path: String, row: Int) throws -> (length: UInt64, address: UInt64, index: UInt64) {
    let data = [UInt8](try Data(contentsOf: url))
    let at = try dataOffset(url, path) + 16 * row
    return (littleEndian(data, at, 4), littleEndian(data, at + 4, 8), littleEndian(data, at + 12, 4))
  }

  private func assertCorrupt(_ url: URL, _ path: String, _ detail: String, line: UInt = #line) {
    XCTAssertThrowsError(try BagFile.read(url), line: line) {
      XCTAssertEqual($0 as? HDF5Error, .corruptVariableLength(file: url.path, path: path, detail: detail), line: line)
      XCTAssertEqual(
        "\($0)", "\(url.path): dataset '\(path)': variable-length data is corrupted (\(detail))", line: line)
    }
  }

  func testAnUnmodifiedBagReadsBack() throws {
    let url = try bag("plain.h5")
    XCTAssertEqual(try BagFile.read(url).messages.map(\.payload), Self.payloads)
  }

  /// (a) An object's size field says more than the row: libhdf5 copied the stored size.
  func testAHeapObjectSizeOtherThanTheRowsLengthIsRefused() throws {
    let url = try bag("size.h5")
    let row = 3
    let stored = try descriptor(url, "/messages/payload", row: row)
    // 16 keeps the walk over the collection aligned: only this object disagrees with its row.
    try patch(url, at: try heapObject(url, holding: Self.payloads[row]) + 8, 16, bytes: 8)
    assertCorrupt(
      url, "/messages/payload",
      "row 3 points to heap object \(stored.index) of 16 bytes, the row says 12 values of 1 byte each")
  }

  /// (a) A size field far beyond the collection: libhdf5 walked and copied past its chunk.
  func testAHeapObjectLargerThanItsCollectionIsRefused() throws {
    let url = try bag("huge.h5")
    let header = try heapObject(url, holding: Self.payloads[2])
    try patch(url, at: header + 8, 0x7fff_ffff, bytes: 8)
    let stored = try descriptor(url, "/messages/payload", row: 2)
    let collection = stored.address
    // The topics are read first and live in the same collection: the collection is refused.
    XCTAssertThrowsError(try BagFile.read(url)) {
      guard case .corruptVariableLength(let file, let path, let detail) = $0 as? HDF5Error else {
        return XCTFail("\($0)")
      }
      XCTAssertEqual(file, url.path)
      XCTAssertEqual(path, "/topics")
      XCTAssertTrue(
        detail.hasPrefix("the heap collection at address \(collection) (row 0): object \(stored.index) at byte ")
          && detail.hasSuffix("does not fit the collection (4096 bytes)"), detail)
    }
  }

  /// (b) A row pointing to an object index its collection does not hold.
  func testARowPointingToAMissingHeapObjectIsRefused() throws {
    let url = try bag("index.h5")
    let stored = try descriptor(url, "/messages/payload", row: 4)
    try patch(url, at: try dataOffset(url, "/messages/payload") + 16 * 4 + 12, 999, bytes: 4)
    assertCorrupt(
      url, "/messages/payload", "row 4 points to heap object 999, which the collection at address \(stored.address) does not hold")
  }

  /// (b) Index 0 is the collection's free space, never a row's data.
  func testARowPointingToTheFreeSpaceObjectIsRefused() throws {
    let url = try bag("free.h5")
    let stored = try descriptor(url, "/messages/payload", row: 0)
    try patch(url, at: try dataOffset(url, "/messages/payload") + 12, 0, bytes: 4)
    assertCorrupt(
      url, "/messages/payload", "row 0 points to heap object 0, which the collection at address \(stored.address) does not hold")
  }

  /// (b) A collection address past the end of the file.
  func testARowPointingPastTheEndOfTheFileIsRefused() throws {
    let url = try bag("address.h5")
    let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
    try patch(url, at: try dataOffset(url, "/messages/payload") + 16 + 4, 1 << 40, bytes: 8)
    assertCorrupt(
      url, "/messages/payload",
      "row 1 points to a heap collection at address \(1 << 40), past the end of the file (\(size) bytes)")
  }

  /// (c) A row's length other than its object's size, shorter or longer.
  func testARowLengthOtherThanItsHeapObjectIsRefused() throws {
    for (row, length) in [(2, UInt64(3)), (5, 100)] {
      let url = try bag("length-\(row).h5")
      let stored = try descriptor(url, "/messages/payload", row: row)
      try patch(url, at: try dataOffset(url, "/messages/payload") + 16 * row, length, bytes: 4)
      assertCorrupt(
        url, "/messages/payload",
        "row \(row) points to heap object \(stored.index) of 12 bytes, the row says \(length) values of 1 byte each")
    }
  }

  /// Two objects of one index: libhdf5 kept the last, and a row pointing to the other's index
  /// read through a null pointer.
  func testACollectionHoldingAnIndexTwiceIsRefused() throws {
    let url = try bag("twice.h5")
    let first = try descriptor(url, "/messages/payload", row: 0)
    try patch(url, at: try heapObject(url, holding: Self.payloads[1]), first.index, bytes: 2)
    XCTAssertThrowsError(try BagFile.read(url)) {
      XCTAssertEqual(
        "\($0)",
        "\(url.path): dataset '/topics': variable-length data is corrupted (the heap collection at address \(first.address) (row 0) holds object \(first.index) twice)")
    }
  }

  /// A variable-length string's row: the length is the string's byte count.
  func testAVariableLengthStringOfAnotherLengthIsRefused() throws {
    let url = try bag("topic.h5")
    let stored = try descriptor(url, "/topics", row: 1)
    XCTAssertEqual(stored.length, UInt64("r4ncl/odd".utf8.count))
    try patch(url, at: try dataOffset(url, "/topics") + 16, 200, bytes: 4)
    assertCorrupt(
      url, "/topics", "row 1 points to heap object \(stored.index) of 9 bytes, the row says 200 values of 1 byte each")
  }

  /// A collection whose signature is gone (read directly: the bag's `format` attribute, a
  /// variable-length string in the same collection, already fails to read, as libhdf5 checks
  /// the signature itself).
  func testACollectionWithoutItsSignatureIsRefused() throws {
    let url = try bag("signature.h5")
    let stored = try descriptor(url, "/topics", row: 0)
    try patch(url, at: Int(stored.address), 0x4C4F_4358, bytes: 4)  // "XCOL"
    XCTAssertThrowsError(try HDF5File.open(url).openDataset("topics").readStrings()) {
      XCTAssertEqual(
        $0 as? HDF5Error,
        .corruptVariableLength(
          file: url.path, path: "/topics",
          detail: "the heap collection at address \(stored.address) (row 0) does not start with the GCOL signature"))
    }
  }

  /// SHD's float16 times: two bytes per value, the error reaches SHDFile's reader.
  func testAnSHDTimesRowOfAnotherLengthIsUnreadable() throws {
    let url = try makeHDF5File(self, "shd.h5") { f in
      try f.writeRaggedFloat16("spikes/times", [[0.1, 0.2], [], [0.3]])
      try f.writeRagged("spikes/units", [[UInt16(1), 2], [], [3]])
      try f.write("labels", [UInt16(0), 1, 0])
      try f.writeStrings("extra/keys", ["a", "b"])
    }
    XCTAssertEqual(try SHDFile.read(url).samples.map(\.units), [[1, 2], [], [3]])
    let stored = try descriptor(url, "/spikes/times", row: 2)
    XCTAssertEqual(stored.length, 1)
    try patch(url, at: try dataOffset(url, "/spikes/times") + 32, 3, bytes: 4)
    XCTAssertThrowsError(try SHDFile.read(url)) {
      XCTAssertEqual(
        $0 as? SHDFileError,
        .unreadable(
          file: url.path,
          detail: "dataset '/spikes/times': variable-length data is corrupted (row 2 points to heap object \(stored.index) of 2 bytes, the row says 3 values of 2 bytes each)"))
    }
  }

  /// A null row (address 0) that claims values: libhdf5 never writes one.
  func testANullRowClaimingValuesIsRefused() throws {
    let url = try makeHDF5File(self, "null.h5") { f in try f.writeRagged("rows", [[UInt8(1)], [], [2]]) }
    XCTAssertEqual(try descriptor(url, "/rows", row: 1).address, 0, "an empty row is stored as a null reference")
    try patch(url, at: try dataOffset(url, "/rows") + 16, 5, bytes: 4)
    XCTAssertThrowsError(try HDF5File.open(url).openDataset("rows").readRagged(UInt8.self)) {
      XCTAssertEqual(
        $0 as? HDF5Error,
        .corruptVariableLength(file: url.path, path: "/rows", detail: "row 1 has no heap object but says it holds 5 values"))
    }
  }

  /// Stored addresses are relative to the base address (after a user block); the check reads
  /// the right bytes in such a file, and still refuses a corrupted row there.
  func testAFileWithAUserBlockIsCheckedAtTheRightOffsets() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("userblock.h5")
    try HDF5Library.serialized {
      let fcpl = H5Pcreate(h5_P_FILE_CREATE())
      defer { H5Pclose(fcpl) }
      H5Pset_userblock(fcpl, 512)
      let id = H5Fcreate(url.path, h5_F_ACC_TRUNC(), fcpl, h5_P_DEFAULT())
      XCTAssertGreaterThanOrEqual(id, 0)
      let file = HDF5File(handle: HDF5Handle(id, .file), fileName: url.path, writable: true)
      try file.writeRagged("rows", [[UInt8(7), 8], [9]])
      try file.writeVariableStrings("names", ["x", "", "yz"])
      try file.close()
    }
    let file = try HDF5File.open(url)
    XCTAssertEqual(try file.openDataset("rows").readRagged(UInt8.self), [[7, 8], [9]])
    XCTAssertEqual(try file.openDataset("names").readStrings(), ["x", "", "yz"])
    try file.close()
    let stored = try descriptor(url, "/rows", row: 0)
    try patch(url, at: try dataOffset(url, "/rows"), 1, bytes: 4)
    XCTAssertThrowsError(try HDF5File.open(url).openDataset("rows").readRagged(UInt8.self)) {
      XCTAssertEqual(
        $0 as? HDF5Error,
        .corruptVariableLength(
          file: url.path, path: "/rows",
          detail: "row 0 points to heap object \(stored.index) of 2 bytes, the row says 1 values of 1 byte each"))
    }
  }

  /// Rows written through a handle still open are read back through it (its caches are
  /// flushed before the check reads the file).
  func testRowsWrittenThroughAnOpenHandleReadBack() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("open.h5")
    let file = try HDF5File.create(url)
    try file.writeRagged("rows", [[Int32(1), -2], [], [3]])
    try file.writeVariableStrings("names", ["a", "bc"])
    XCTAssertEqual(try file.openDataset("rows").readRagged(Int32.self), [[1, -2], [], [3]])
    XCTAssertEqual(try file.openDataset("names").readStrings(), ["a", "bc"])
    try file.close()
  }
}
