import CHDF5
import Foundation
import Learner
import XCTest

@testable import Storage

/// SHD files that declare what they do not hold, label beyond uint16, or loop: each a clear
/// error naming the file (or, under `extra/`, a column skipped), never an allocation of the
/// declared size, a trap or an endless walk.
final class SHDHostileFileTests: XCTestCase {
  /// A valid two-sample SHD file with `change` applied through the wrapper and raw libhdf5.
  private func shd(
    _ name: String, labels: [Int]? = nil, keys: Bool = true, _ change: (HDF5File) throws -> Void = { _ in }
  ) throws -> URL {
    try makeHDF5File(self, name) { f in
      try f.writeRaggedFloat16("spikes/times", [[0.1, 0.2], [0.3]])
      try f.writeRagged("spikes/units", [[UInt16(1), 2], [3]])
      if let labels { try f.write("labels", labels) } else { try f.write("labels", [UInt16(0), 1]) }
      if keys { try f.writeStrings("extra/keys", ["a", "b"]) }
      try change(f)
    }
  }

  private func assertFails(_ url: URL, _ expected: SHDFileError, line: UInt = #line) {
    XCTAssertThrowsError(try SHDFile.read(url), line: line) {
      XCTAssertEqual($0 as? SHDFileError, expected, line: line)
      XCTAssertTrue("\($0)".hasPrefix(url.path), "\($0)", line: line)
    }
  }

  func testPerSampleDatasetsDeclaringABillionEntriesFailOnTheirLength() throws {
    for path in ["labels", "extra/speaker", "spikes/units"] {
      let url = try shd("\(path.replacingOccurrences(of: "/", with: "-")).h5") { f in
        HostileHDF5.delete(f, path)
        if path == "spikes/units" {
          let rows = HostileHDF5.vlen(h5_T_STD_U16LE())
          defer { H5Tclose(rows) }
          try HostileHDF5.declare(f, path, type: rows, shape: [1_000_000_000])
        } else {
          try HostileHDF5.declare(f, path, type: h5_T_STD_U16LE(), shape: [1_000_000_000])
        }
      }
      assertFails(url, .lengthMismatch(file: url.path, dataset: path, expected: 2, found: 1_000_000_000))
    }
  }

  /// Times fix the sample count, so their declared rows are checked against the other
  /// columns first; a file whose columns all agree on a billion is too large to read.
  func testTimesDeclaringABillionRowsAreChecked() throws {
    func declareRows(_ f: HDF5File, _ path: String, _ base: hid_t) throws {
      HostileHDF5.delete(f, path)
      let rows = HostileHDF5.vlen(base)
      defer { H5Tclose(rows) }
      try HostileHDF5.declare(f, path, type: rows, shape: [1_000_000_000])
    }
    let half = HDF5Types.float16()
    let alone = try shd("times.h5") { try declareRows($0, "spikes/times", half.id) }
    assertFails(alone, .lengthMismatch(file: alone.path, dataset: "spikes/units", expected: 1_000_000_000, found: 2))
    let all = try shd("all.h5") { f in
      try declareRows(f, "spikes/times", half.id)
      try declareRows(f, "spikes/units", h5_T_STD_U16LE())
      HostileHDF5.delete(f, "labels")
      try HostileHDF5.declare(f, "labels", type: h5_T_STD_U16LE(), shape: [1_000_000_000])
    }
    withExtendedLifetime(half) {}
    XCTAssertThrowsError(try SHDFile.read(all)) {
      guard case .unreadable(let file, let detail)? = $0 as? SHDFileError else { return XCTFail("\($0)") }
      XCTAssertEqual(file, all.path)
      XCTAssertTrue(detail.contains("declares shape [1000000000]"), detail)
    }
  }

  func testKeysDeclaringMoreNamesThanUint16LabelsCanUseAreRefused() throws {
    let url = try shd("keys.h5") { f in
      HostileHDF5.delete(f, "extra/keys")
      let key = HDF5Types.fixedString(bytes: 8)
      try withExtendedLifetime(key) { try HostileHDF5.declare(f, "extra/keys", type: key.id, shape: [1_000_000_000]) }
    }
    assertFails(
      url, .wrongShape(file: url.path, dataset: "extra/keys", expected: "1-D with at most 65536 class names", found: [1_000_000_000]))
  }

  /// Without keys the class names were 0...max(label): 2^40 aborted allocating them and
  /// Int.max trapped building the range.
  func testLabelsAndSpeakersBeyondUint16AreRefusedWhenRead() throws {
    for label in [1 << 40, Int.max, -5] {
      let url = try shd("label\(label).h5", labels: [0, label], keys: false)
      assertFails(url, .valueTooLarge(file: url.path, dataset: "labels", sample: 1, value: label))
    }
    let url = try shd("speaker.h5") { try $0.write("extra/speaker", [3, 1 << 40]) }
    assertFails(url, .valueTooLarge(file: url.path, dataset: "extra/speaker", sample: 1, value: 1 << 40))
  }

  /// A group linked into itself under `extra/` recursed for ever (7.7 GB, then killed).
  func testLinkCyclesUnderExtraEndTheMetadataWalk() throws {
    let url = try shd("cycles.h5") { f in
      try f.write("extra/meta_info/age", [30, 40])
      HostileHDF5.hardLink(f, to: "/extra", at: "extra/meta_info/hard_loop")
      HostileHDF5.softLink(f, to: "/extra", at: "extra/meta_info/soft_loop")
      HostileHDF5.softLink(f, to: "/extra/self", at: "extra/self")
    }
    let (dataset, metadata) = try SHDFile.readWithMetadata(url)
    XCTAssertEqual(dataset.count, 2)
    XCTAssertEqual(metadata.extra, ["meta_info/age": .int64([30, 40])])
  }

  /// `extra/` columns are optional (read with `try?`, which cannot catch an allocation
  /// failure): an oversized one is skipped unread.
  func testOversizedExtraColumnsAreSkippedUnread() throws {
    let url = try shd("extra.h5") { f in
      try f.write("extra/meta_info/age", [30, 40])
      try HostileHDF5.declare(f, "extra/meta_info/huge", type: h5_T_STD_I64LE(), shape: [1_000_000_000])
      try HostileHDF5.declare(f, "extra/text", type: h5_T_STD_I64LE(), shape: [1 << 40])
    }
    XCTAssertEqual(try SHDFile.readWithMetadata(url).metadata.extra, ["meta_info/age": .int64([30, 40])])
  }

  func testAnUnrelatedBoolAttributeDoesNotMakeTheFileUnreadable() throws {
    let url = try shd("bool.h5") { f in
      try f.setAttribute("source", .string("test"))
      HostileHDF5.boolAttribute(f, "h5py_bool")
    }
    XCTAssertEqual(try SHDFile.readWithMetadata(url).metadata.attributes, ["source": .string("test")])
  }

  func testLabelsBehindAnExternalLinkAreNotRead() throws {
    let target = try shd("target.h5")
    let url = try shd("external.h5") { f in
      HostileHDF5.delete(f, "labels")
      HostileHDF5.externalLink(f, file: target.path, object: "/labels", at: "labels")
    }
    assertFails(url, .unreadable(file: url.path, detail: "'/labels' is an external link into another file (not followed)"))
  }
}
