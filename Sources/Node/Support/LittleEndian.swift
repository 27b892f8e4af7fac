/// Little-endian 32-bit words of the label spool's record headers.
enum LittleEndian {
  /// The four bytes of `value`, least significant first.
  static func bytes(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

  /// The word at `offset` of `bytes`.
  static func word(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
  }
}
