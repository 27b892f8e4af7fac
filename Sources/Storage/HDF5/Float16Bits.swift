/// IEEE 754 half-precision conversion on bit patterns, independent of Swift's `Float16` (which
/// is unavailable on some platforms). SHD stores spike times as float16.
public enum Float16Bits {
  /// Every half value as a Float, indexed by bit pattern: 256 KB, built once, makes decoding
  /// ten million spike times a table lookup each.
  static let table: [Float] = (0...0xFFFF).map { decodeSlow(UInt16($0)) }

  /// The Float value of the half with bit pattern `bits` (exact: every half is a Float).
  @inline(__always)
  public static func decode(_ bits: UInt16) -> Float { table[Int(bits)] }

  static func decodeSlow(_ h: UInt16) -> Float {
    let sign: UInt32 = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    switch exponent {
    case 0:
      // Zero or subnormal: mantissa * 2^-24.
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    case 31:
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
      // Rebias the exponent from 15 to 127.
      return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
  }

  /// The bit pattern of the half nearest to `value` (round to nearest, ties to even, as
  /// numpy's `astype(float16)`); overflow gives infinity, NaN stays NaN.
  public static func encode(_ value: Float) -> UInt16 {
    let x = value.bitPattern
    let sign = UInt16((x >> 16) & 0x8000)
    var mantissa = x & 0x7F_FFFF
    let exponent = Int((x >> 23) & 0xFF)
    if exponent == 255 {
      return sign | 0x7C00 | (mantissa != 0 ? 0x200 | UInt16(truncatingIfNeeded: mantissa >> 13) : 0)
    }
    let e = exponent - 127 + 15
    if e >= 31 { return sign | 0x7C00 }
    if e <= 0 {
      // Subnormal half: value / 2^-24 = (1.mantissa) * 2^(e - 14 + 24 - 24) -> shift by 14 - e.
      if e < -10 { return sign }
      mantissa |= 0x80_0000
      let shift = UInt32(14 - e)
      var h = mantissa >> shift
      let remainder = mantissa & ((1 << shift) - 1)
      let halfway: UInt32 = 1 << (shift - 1)
      if remainder > halfway || (remainder == halfway && h & 1 == 1) { h += 1 }
      return sign | UInt16(h)
    }
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    var h = (UInt32(e) << 10) | (mantissa >> 13)
    let remainder = mantissa & 0x1FFF
    if remainder > 0x1000 || (remainder == 0x1000 && h & 1 == 1) { h += 1 }
    return sign | UInt16(h)
  }

  /// `value` rounded to the nearest half, as a Float (what an SHD file stores).
  public static func round(_ value: Float) -> Float { decode(encode(value)) }
}
