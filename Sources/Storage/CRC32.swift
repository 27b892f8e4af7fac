/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, the value of Python's `zlib.crc32`), the
/// checksum of checkpoint contents, spool records and replay shards: cheap and catches torn or
/// corrupted bytes.
public enum CRC32 {
  static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  /// The checksum of `bytes`; pass a previous result as `seed` to continue it.
  public static func checksum<C: Collection>(_ bytes: C, seed: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
    if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), seed: seed) }) { return crc }
    var crc = ~seed
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return ~crc
  }

  /// The checksum of raw memory (arrays of numbers in their in-memory, little-endian, layout).
  public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
    table.withUnsafeBufferPointer { table in
      var crc = ~seed
      for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
      return ~crc
    }
  }
}
