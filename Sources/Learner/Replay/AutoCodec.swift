/// `auto`: per sample, the smallest of the lossless codecs (raw, bitpack, events), behind a
/// 1-byte tag (0 raw, 1 bitpack, 2 events; ties go to the lower tag). Dense samples get
/// bit-packed, sparse ones event-coded.
public struct AutoCodec: ReplayCodec {
  /// The candidates, indexed by tag.
  static let candidates: [any ReplayCodec] = [RawCodec(), BitpackCodec(), EventsCodec()]

  public init() {}
  public var name: String { "auto" }
  public var isLossless: Bool { true }

  /// The tag `encode` would choose for `sample`.
  public func chosenTag(for sample: LatentSample) -> UInt8 {
    var best = 0
    var bestSize = Int.max
    for (tag, codec) in AutoCodec.candidates.enumerated() {
      let size = codec.encodedByteCount(of: sample)
      if size < bestSize { best = tag; bestSize = size }
    }
    return UInt8(best)
  }

  /// The name of the codec chosen for `sample`.
  public func chosenCodecName(for sample: LatentSample) -> String {
    AutoCodec.candidates[Int(chosenTag(for: sample))].name
  }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    1 + AutoCodec.candidates.map { $0.encodedByteCount(of: sample) }.min()!
  }

  public func encode(_ sample: LatentSample) throws -> [UInt8] {
    try sample.validateForReplay()
    let tag = chosenTag(for: sample)
    return [tag] + (try AutoCodec.candidates[Int(tag)].encode(sample))
  }

  public func decode(_ bytes: [UInt8]) throws -> LatentSample {
    guard let tag = bytes.first else { throw ReplayCodecError.truncated(codec: name, offset: 0, needed: 1) }
    guard Int(tag) < AutoCodec.candidates.count else { throw ReplayCodecError.unknownTag(tag) }
    return try AutoCodec.candidates[Int(tag)].decode(Array(bytes.dropFirst()))
  }

  public func decodeSpikes(_ bytes: [UInt8]) throws -> SpikeLatent {
    guard let tag = bytes.first else { throw ReplayCodecError.truncated(codec: name, offset: 0, needed: 1) }
    guard Int(tag) < AutoCodec.candidates.count else { throw ReplayCodecError.unknownTag(tag) }
    return try AutoCodec.candidates[Int(tag)].decodeSpikes(Array(bytes.dropFirst()))
  }
}
