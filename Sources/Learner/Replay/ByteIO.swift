/// Appends little-endian values and LEB128 varints to a byte array (the codecs' writer).
struct ByteWriter {
  var bytes: [UInt8] = []

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  /// Unsigned LEB128: 7 bits per byte, low group first, high bit set on all but the last byte.
  mutating func varint(_ value: Int) {
    precondition(value >= 0, "varint of a negative value")
    var v = UInt64(value)
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// IEEE 754 bit pattern, little-endian, so every Float (NaN payloads, -0.0) survives exactly.
  mutating func float32(_ f: Float) {
    let b = f.bitPattern
    bytes.append(UInt8(truncatingIfNeeded: b))
    bytes.append(UInt8(truncatingIfNeeded: b >> 8))
    bytes.append(UInt8(truncatingIfNeeded: b >> 16))
    bytes.append(UInt8(truncatingIfNeeded: b >> 24))
  }

  /// Bytes a varint of `value` takes.
  static func varintSize(_ value: Int) -> Int {
    var v = UInt64(value)
    var n = 1
    while v >= 0x80 { v >>= 7; n += 1 }
    return n
  }
}

/// Bounds-checked reader over encoded bytes: every read that would run past the end throws
/// `ReplayCodecError.truncated`, so corrupt input never traps.
struct ByteReader {
  let bytes: [UInt8]
  let codec: String
  private(set) var offset: Int

  init(_ bytes: [UInt8], codec: String, offset: Int = 0) {
    self.bytes = bytes
    self.codec = codec
    self.offset = offset
  }

  var remaining: Int { bytes.count - offset }

  mutating func byte() throws -> UInt8 {
    guard offset < bytes.count else { throw ReplayCodecError.truncated(codec: codec, offset: offset, needed: 1) }
    defer { offset += 1 }
    return bytes[offset]
  }

  /// Unsigned LEB128 of at most 9 bytes (63 bits), so the result always fits in Int.
  mutating func varint() throws -> Int {
    // Fast path: one byte (ids and counts below 128, the common case of `events`).
    if offset < bytes.count, bytes[offset] < 0x80 {
      defer { offset += 1 }
      return Int(bytes[offset])
    }
    let start = offset
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try byte()
      if shift == 63 || (shift == 56 && b & 0x80 != 0) {
        throw ReplayCodecError.varintOverflow(codec: codec, offset: start)
      }
      result |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { break }
      shift += 7
    }
    return Int(result)
  }

  mutating func float32() throws -> Float {
    guard remaining >= 4 else { throw ReplayCodecError.truncated(codec: codec, offset: offset, needed: 4) }
    let b0 = UInt32(bytes[offset]), b1 = UInt32(bytes[offset + 1])
    let b2 = UInt32(bytes[offset + 2]), b3 = UInt32(bytes[offset + 3])
    offset += 4
    return Float(bitPattern: b0 | b1 << 8 | b2 << 16 | b3 << 24)
  }

  /// Checks that `count` more bytes exist, without consuming them.
  func require(_ count: Int) throws {
    guard count <= remaining else {
      throw ReplayCodecError.truncated(codec: codec, offset: offset, needed: count - remaining)
    }
  }

  mutating func skip(_ count: Int) throws {
    try require(count)
    offset += count
  }

  /// Throws when bytes are left over after a complete sample.
  func finish() throws {
    guard remaining == 0 else { throw ReplayCodecError.trailingBytes(codec: codec, count: remaining) }
  }
}
