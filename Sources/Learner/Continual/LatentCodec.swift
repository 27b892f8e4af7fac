import Foundation

/// A replay codec as a value: a name and an encode/decode pair over one latent. The continual
/// phases only see this, so any codec (the Replay module's raw, bitpack, events, auto,
/// orpool:w, the built-in `float32`, or a caller's own closures) plugs in.
public struct LatentCodec: Sendable {
  /// Name as given on the command line (e.g. "auto", "orpool:2").
  public var name: String
  /// True when decode(encode(x)) == x for every latent.
  public var isLossless: Bool
  /// The stored bytes of one latent (their count is the replay memory).
  public var encode: @Sendable (LatentSample) throws -> [UInt8]
  /// The latent back from its bytes (lossy codecs give the decompressed form).
  public var decode: @Sendable ([UInt8]) throws -> LatentSample
  /// Spike latents (d >= 1) back in event form, the input format of layer d + 1 (by default
  /// through `decode`; codecs that store events skip the dense form).
  public var decodeSpikes: @Sendable ([UInt8]) throws -> SpikeLatent

  public init(
    name: String, isLossless: Bool, encode: @escaping @Sendable (LatentSample) throws -> [UInt8],
    decode: @escaping @Sendable ([UInt8]) throws -> LatentSample,
    decodeSpikes: (@Sendable ([UInt8]) throws -> SpikeLatent)? = nil
  ) {
    self.name = name
    self.isLossless = isLossless
    self.encode = encode
    self.decode = decode
    self.decodeSpikes = decodeSpikes ?? { bytes in
      let sample = try decode(bytes)
      guard sample.depth >= 1 else { throw ReplayCodecError.currentsNotSpikes(codec: name) }
      return SpikeLatent(sample)
    }
  }

  /// Lossless baseline: a 16-byte header (depth, T, width, label as Int32 little-endian; label
  /// -1 = none) then every value as Float32 little-endian. Bad bytes throw `ReplayCodecError`,
  /// as every other codec's do.
  public static let float32 = LatentCodec(
    name: "float32", isLossless: true,
    encode: { s in
      var out: [UInt8] = []
      out.reserveCapacity(16 + 4 * s.values.count)
      for x in [s.depth, s.timesteps, s.width, s.label ?? -1] { appendLE(&out, UInt32(bitPattern: Int32(x))) }
      for v in s.values { appendLE(&out, v.bitPattern) }
      return out
    },
    decode: { b in
      guard b.count >= 16 else { throw ReplayCodecError.truncated(codec: "float32", offset: b.count, needed: 16 - b.count) }
      func word(_ i: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) } }
      let h = (0..<4).map { Int(Int32(bitPattern: word(4 * $0))) }
      guard h[0] >= 0, h[1] > 0, h[2] > 0, b.count == 16 + 4 * h[1] * h[2] else {
        throw ReplayCodecError.invalidHeader(codec: "float32", reason: "depth \(h[0]), T \(h[1]), width \(h[2]) for \(b.count) bytes")
      }
      let values = (0..<(h[1] * h[2])).map { Float(bitPattern: word(16 + 4 * $0)) }
      return LatentSample(depth: h[0], timesteps: h[1], width: h[2], values: values, label: h[3] < 0 ? nil : h[3])
    })

  /// The names `named(_:)` accepts, as error messages list them.
  static let knownNames = "float32, raw, bitpack, events, auto or orpool:w"

  /// The codec called `name`: "float32", or one of the Replay module's (raw, bitpack, events,
  /// auto, orpool:w). An unknown name throws `ContinualError.unknownCodec`, a bad orpool window
  /// `ReplayCodecError.invalidWindow`.
  public static func named(_ name: String) throws -> LatentCodec {
    let n = name.trimmingCharacters(in: .whitespaces).lowercased()
    if n == "float32" { return .float32 }
    do {
      return LatentCodec(try replayCodec(named: n))
    } catch ReplayCodecError.unknownCodec {
      throw ContinualError.unknownCodec(name)
    }
  }
}

private func appendLE(_ out: inout [UInt8], _ x: UInt32) {
  out.append(UInt8(x & 0xff))
  out.append(UInt8((x >> 8) & 0xff))
  out.append(UInt8((x >> 16) & 0xff))
  out.append(UInt8(x >> 24))
}
