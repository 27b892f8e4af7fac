/// Binds the Replay module's codecs (raw, bitpack, events, auto, orpool:w) to the continual
/// phases' `LatentCodec` values, so settings name them directly.
extension LatentCodec {
  /// The Replay module's codec `codec` as a `LatentCodec`.
  public init(_ codec: any ReplayCodec) {
    self.init(
      name: codec.name, isLossless: codec.isLossless, encode: { try codec.encode($0) }, decode: { try codec.decode($0) },
      decodeSpikes: { try codec.decodeSpikes($0) })
  }
}
