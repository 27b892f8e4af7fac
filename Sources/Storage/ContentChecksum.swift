import Foundation
import Learner

/// A CRC-32 accumulated over a file's contents piece by piece, in the file formats' documented
/// order: strings as UTF-8 followed by a 0 byte, numbers in their little-endian layout.
public struct ContentCRC32 {
  public private(set) var value: UInt32 = 0

  public init() {}

  /// The order of named parts: by UTF-8 bytes, h5py's order of a group's members.
  public static func inGroupOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(b.utf8) }

  public mutating func text(_ s: String) { value = CRC32.checksum(Array(s.utf8) + [0], seed: value) }

  public mutating func numbers<T>(_ values: [T]) { value = values.withUnsafeBytes { CRC32.checksum($0, seed: value) } }

  /// A checksum as messages print it, `0x` and 8 hex digits (Python's `f"{crc:#010x}"`).
  public static func hex(_ crc: UInt32) -> String { String(format: "0x%08x", crc) }

  /// A stored `content_crc32` attribute as messages print it: hex when it is a 32-bit value,
  /// else as it is (a damaged attribute).
  public static func hex(_ stored: HDF5Attribute) -> String {
    guard let value = stored.intValue, let crc = UInt32(exactly: value) else { return stored.description }
    return hex(crc)
  }

  /// Weight matrices in group order, row-major float32.
  public mutating func matrices(_ named: [(name: String, matrix: Matrix)]) {
    for p in named.sorted(by: { Self.inGroupOrder($0.name, $1.name) }) { numbers(p.matrix.values) }
  }
}

/// The root attribute `content_crc32` that r4ncl's HDF5 files carry: HDF5 checks its own
/// metadata but not the bytes of contiguous datasets.
extension HDF5Object {
  public func setContentChecksum(_ crc: UInt32) throws { try setAttribute("content_crc32", .int(Int(crc))) }

  /// The stored checksum when it differs from `computed`; nil when they match or when the file
  /// (written before the checksum existed) has none, which is read unchecked.
  public func contentChecksumMismatch(_ computed: UInt32) throws -> HDF5Attribute? {
    guard let stored = try attribute("content_crc32"), stored.intValue != Int(computed) else { return nil }
    return stored
  }
}
