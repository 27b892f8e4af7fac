import CHDF5
import Foundation
import XCTest

@testable import Storage

/// A declared size is not evidence of data: reads are bounded before they allocate, extents
/// that overflow Int are errors, and nothing outside the file (external links, external raw
/// data) is opened.
final class HDF5BoundsTests: XCTestCase {
  private func dataset(_ url: URL, _ path: String) throws -> HDF5Dataset {
    try HDF5File.open(url).openDataset(path)
  }

  func testADeclaredBillionElementsAreTooLargeToReadWhateverTheFileHolds() throws {
    let url = try makeHDF5File(self, "sparse.h5") { f in
      try HostileHDF5.declare(f, "labels", type: h5_T_STD_U16LE(), shape: [1_000_000_000])
      let key = HDF5Types.fixedString(bytes: 8), half = HDF5Types.float16()
      try withExtendedLifetime(key) { try HostileHDF5.declare(f, "keys", type: key.id, shape: [1_000_000_000]) }
      let rows = withExtendedLifetime(half) { HostileHDF5.vlen(half.id) }
      defer { H5Tclose(rows) }
      try HostileHDF5.declare(f, "times", type: rows, shape: [1_000_000_000])
    }
    XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int, 100_000)
    for (path, read) in [
      ("labels", { (d: HDF5Dataset) in _ = try d.read(Int.self) }), ("keys", { _ = try $0.readStrings() }),
      ("times", { _ = try $0.readRaggedFloats() }),
    ] {
      XCTAssertThrowsError(try read(try dataset(url, path)), path) { error in
        guard case .tooLarge(let f, let p, let shape, _, let limit)? = error as? HDF5Error else { return XCTFail("\(error)") }
        XCTAssertEqual([f, p], [url.path, "/" + path])
        XCTAssertEqual(shape, [1_000_000_000])
        XCTAssertEqual(limit, HDF5ReadLimit.bytes)
      }
    }
  }

  /// 2^62 uint16 labels once reached H5Dread and crashed inside it (SIGSEGV); 2^32 x 2^32
  /// trapped multiplying the extent.
  func testExtentsWhoseProductOverflowsAreErrorsNotTraps() throws {
    let url = try makeHDF5File(self, "overflow.h5") { f in
      try HostileHDF5.declare(f, "wide", type: h5_T_STD_U16LE(), shape: [1 << 32, 1 << 32], chunk: [1, 1024])
      try HostileHDF5.declare(f, "long", type: h5_T_STD_U16LE(), shape: [1 << 62])
    }
    let wide = try dataset(url, "wide")
    XCTAssertThrowsError(try wide.elementCount) { XCTAssertEqual(($0 as? HDF5Error)?.file, url.path) }
    XCTAssertThrowsError(try wide.read(UInt16.self))
    XCTAssertThrowsError(try wide.readMatrix())
    XCTAssertEqual(try dataset(url, "long").elementCount, 1 << 62)
    XCTAssertThrowsError(try dataset(url, "long").read(UInt16.self)) {
      guard case .tooLarge? = $0 as? HDF5Error else { return XCTFail("\($0)") }
    }
  }

  /// Only the row descriptors count against the limit: a long row is what real data hold.
  func testARaggedRowOfThirtyMillionSpikesStillReads() throws {
    let row = [Float](repeating: 0.5, count: 30_000_000)
    let url = try makeHDF5File(self, "long-row.h5") { try $0.writeRaggedFloat16("times", [row, [0.25]]) }
    let rows = try dataset(url, "times").readRaggedFloats()
    XCTAssertEqual(rows.map(\.count), [30_000_000, 1])
  }

  func testExternalLinksAreNotFollowedEvenToAFIFO() throws {
    let directory = try makeTemporaryDirectory(self)
    let target = directory.appendingPathComponent("target.h5")
    try HDF5Library.serialized {
      let f = try HDF5File.create(target)
      try f.write("labels", [UInt16(1), 2])
      try f.close()
    }
    let fifo = directory.appendingPathComponent("fifo").path
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let url = try makeHDF5File(self, "links.h5") { f in
      HostileHDF5.externalLink(f, file: target.path, object: "/labels", at: "labels")
      HostileHDF5.externalLink(f, file: fifo, object: "/labels", at: "fifo")
    }
    let opened = try HDF5File.open(url)
    // Reading through the FIFO link would block for ever; it must fail at once.
    for path in ["labels", "fifo"] {
      XCTAssertTrue(opened.contains(path))
      XCTAssertThrowsError(try opened.openDataset(path)) { error in
        XCTAssertEqual(
          error as? HDF5Error,
          .unresolvedLink(file: url.path, path: "/" + path, link: "an external link into another file (not followed)"))
      }
    }
  }

  func testDanglingAndCyclicSoftLinksAreNamedAsSuch() throws {
    let url = try makeHDF5File(self, "soft.h5") { f in
      HostileHDF5.softLink(f, to: "/nowhere", at: "dangling")
      HostileHDF5.softLink(f, to: "/loop", at: "loop")
    }
    for path in ["dangling", "loop"] {
      XCTAssertThrowsError(try HDF5File.open(url).openDataset(path)) { error in
        XCTAssertEqual(
          error as? HDF5Error,
          .unresolvedLink(file: url.path, path: "/" + path, link: "a soft link that leads to no object (dangling or cyclic)"))
      }
    }
  }

  func testDataKeptInAnExternalRawFileIsNotRead() throws {
    let url = try makeHDF5File(self, "efl.h5") { try HostileHDF5.externalStorage($0, "labels", count: 4, external: "/dev/zero") }
    XCTAssertThrowsError(try dataset(url, "labels")) {
      XCTAssertEqual($0 as? HDF5Error, .externalData(file: url.path, path: "/labels"))
    }
  }

  /// h5py writes a Python bool as an enum: an attribute nobody asked for must not make the
  /// others unreadable.
  func testAttributesOfUnknownTypesAreSkipped() throws {
    let url = try makeHDF5File(self, "attrs.h5") { f in
      try f.setAttribute("name", .string("x"))
      HostileHDF5.boolAttribute(f, "flag")
    }
    let opened = try HDF5File.open(url)
    XCTAssertEqual(try opened.attributeNames(), ["flag", "name"])
    XCTAssertEqual(try opened.attributes(), ["name": .string("x")])
    XCTAssertThrowsError(try opened.attribute("flag"))
  }
}
