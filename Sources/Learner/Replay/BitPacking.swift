/// Packs 0/1 bytes into bits, LSB first (entry i is bit i % 8 of byte i / 8); unused high bits
/// of the last byte are zero. Shared by `bitpack` and `orpool`.
enum BitPacking {
  static func byteCount(bits: Int) -> Int { (bits + 7) / 8 }

  static func pack(_ flags: [UInt8], into w: inout ByteWriter) {
    let n = flags.count
    let start = w.bytes.count
    w.bytes.append(contentsOf: repeatElement(0, count: byteCount(bits: n)))
    w.bytes.withUnsafeMutableBufferPointer { out in
      flags.withUnsafeBufferPointer { f in
        for i in 0..<n where f[i] != 0 {
          out[start &+ (i >> 3)] |= UInt8(1) << UInt8(i & 7)
        }
      }
    }
  }

  /// Reads `bits` flags; throws on truncation or on set padding bits (which would make two
  /// byte strings decode to the same sample).
  static func unpack(bits n: Int, from r: inout ByteReader) throws -> [UInt8] {
    let nb = byteCount(bits: n)
    try r.require(nb)
    let start = r.offset
    var flags = [UInt8](repeating: 0, count: n)
    r.bytes.withUnsafeBufferPointer { inp in
      flags.withUnsafeMutableBufferPointer { f in
        for i in 0..<n { f[i] = (inp[start &+ (i >> 3)] >> UInt8(i & 7)) & 1 }
      }
    }
    if n % 8 != 0, r.bytes[start + nb - 1] >> UInt8(n % 8) != 0 {
      throw ReplayCodecError.nonZeroPadding(codec: r.codec)
    }
    try r.skip(nb)
    return flags
  }
}
