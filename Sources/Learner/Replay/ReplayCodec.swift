import Foundation

/// A way to store one latent sample as bytes for the replay buffer. Every encoding starts with
/// a `LatentHeader` (depth, T, N, label), counted in the byte total, so it decodes on its own.
public protocol ReplayCodec: Sendable {
  /// The name `replayCodec(named:)` parses back ("raw", "bitpack", "events", "auto", "orpool:2").
  var name: String { get }
  /// True when `decode(encode(x))` is bit-identical to `x` for every valid sample.
  var isLossless: Bool { get }
  /// The encoded bytes of `sample`, header included; throws `LatentSampleError` when the
  /// sample fails `validateForReplay()`.
  func encode(_ sample: LatentSample) throws -> [UInt8]
  /// Rebuilds a sample; throws `ReplayCodecError` on truncated or corrupt bytes.
  func decode(_ bytes: [UInt8]) throws -> LatentSample
  /// Decodes spike latents (d >= 1) straight into event form, for replay into layer d + 1.
  /// The default decodes densely and converts (raw); `events`, `bitpack`, `auto` and `orpool` skip the dense form.
  func decodeSpikes(_ bytes: [UInt8]) throws -> SpikeLatent
  /// Exactly `encode(sample).count` for a valid sample, computed without encoding.
  func encodedByteCount(of sample: LatentSample) -> Int
}

extension ReplayCodec {
  public func decodeSpikes(_ bytes: [UInt8]) throws -> SpikeLatent {
    let sample = try decode(bytes)
    guard sample.kind == .spikes else { throw ReplayCodecError.currentsNotSpikes(codec: name) }
    return SpikeLatent(sample)
  }
}

/// The codec a name denotes: "raw", "bitpack", "events", "auto", "orpool:w" (w >= 1;
/// "orpool" alone is SpikingLR's default 1:2). Case and surrounding spaces are ignored.
public func replayCodec(named name: String) throws -> any ReplayCodec {
  let s = name.trimmingCharacters(in: .whitespaces).lowercased()
  switch s {
  case "raw": return RawCodec()
  case "bitpack": return BitpackCodec()
  case "events": return EventsCodec()
  case "auto": return AutoCodec()
  case "orpool": return try OrPoolCodec(window: 2)
  default: break
  }
  if s.hasPrefix("orpool:") {
    let w = s.dropFirst("orpool:".count)
    guard let window = Int(w), window >= 1 else { throw ReplayCodecError.invalidWindow(name) }
    return try OrPoolCodec(window: window)
  }
  throw ReplayCodecError.unknownCodec(name)
}

/// Why a codec name could not be parsed or bytes could not be decoded.
public enum ReplayCodecError: Error, Equatable, CustomStringConvertible {
  /// The codec name is none of raw, bitpack, events, auto, orpool:w.
  case unknownCodec(String)
  /// An `orpool:w` name whose w is not an integer >= 1.
  case invalidWindow(String)
  /// The bytes end `needed` bytes before the sample is complete.
  case truncated(codec: String, offset: Int, needed: Int)
  /// A varint is longer than 63 bits.
  case varintOverflow(codec: String, offset: Int)
  /// The header's T, N or label is out of range.
  case invalidHeader(codec: String, reason: String)
  /// A raw spike byte is neither 0 nor 1.
  case notBinary(codec: String, index: Int, value: UInt8)
  /// A per-step count exceeds the number of units.
  case countTooLarge(codec: String, step: Int, count: Int, units: Int)
  /// A decoded unit id is not below N.
  case unitOutOfRange(codec: String, step: Int, unit: Int, units: Int)
  /// The unused bits after the last entry of a bit-packed block are not zero.
  case nonZeroPadding(codec: String)
  /// A value marked as non-zero is stored as +0.0 (no encoder writes that).
  case storedZero(codec: String, index: Int)
  /// Bytes remain after a complete sample.
  case trailingBytes(codec: String, count: Int)
  /// The `auto` tag byte names no known codec.
  case unknownTag(UInt8)

  public var description: String {
    switch self {
    case .unknownCodec(let n): return "replay codec '\(n)' is unknown (expected raw, bitpack, events, auto or orpool:w)"
    case .invalidWindow(let n): return "replay codec '\(n)': the window after 'orpool:' must be an integer >= 1"
    case .truncated(let c, let o, let k): return "\(c) decode: bytes end at offset \(o), \(k) more byte(s) needed"
    case .varintOverflow(let c, let o): return "\(c) decode: varint at offset \(o) exceeds 63 bits"
    case .invalidHeader(let c, let r): return "\(c) decode: invalid header (\(r))"
    case .notBinary(let c, let i, let v): return "\(c) decode: spike entry \(i) is \(v), must be 0 or 1"
    case .countTooLarge(let c, let t, let k, let n): return "\(c) decode: step \(t) claims \(k) events but there are only \(n) units"
    case .unitOutOfRange(let c, let t, let u, let n): return "\(c) decode: step \(t) has unit id \(u), not below N = \(n)"
    case .nonZeroPadding(let c): return "\(c) decode: padding bits after the last entry are not zero"
    case .storedZero(let c, let i): return "\(c) decode: entry \(i) is marked non-zero but stored as +0.0"
    case .trailingBytes(let c, let k): return "\(c) decode: \(k) byte(s) left after a complete sample"
    case .unknownTag(let t): return "auto decode: tag byte \(t) names no codec (0 raw, 1 bitpack, 2 events)"
    }
  }
}

extension ReplayCodecError {
  /// An event-form decode of a depth-0 latent (input currents have no spikes).
  static func currentsNotSpikes(codec: String) -> ReplayCodecError {
    .invalidHeader(codec: codec, reason: "depth 0 holds currents, not spikes")
  }
}
