import XCTest
@testable import Storage

final class CRC32Tests: XCTestCase {
  func testChecksumIsTheStandardCRC32() {
    // The check value of CRC-32/ISO-HDLC (zlib.crc32(b"123456789")).
    XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
    XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
  }

  func testSeedContinuesAChecksumAcrossPieces() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    let whole = CRC32.checksum(bytes)
    let first = CRC32.checksum(bytes[..<333])
    XCTAssertEqual(CRC32.checksum(bytes[333...], seed: first), whole)
    // The raw-memory form gives the same value as the collection form.
    XCTAssertEqual(bytes.withUnsafeBytes { CRC32.checksum($0) }, whole)
    XCTAssertEqual(CRC32.checksum(bytes.lazy.map { $0 }), whole)
  }
}
