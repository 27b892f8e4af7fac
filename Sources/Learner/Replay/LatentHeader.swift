/// The per-sample header every codec writes first: what the decoder needs to rebuild a sample
/// on its own. Layout: LEB128 varints depth, T, N (width), label + 1 (0 = unlabeled). The
/// kind follows from the depth (0 = currents, else spikes). For values below 127 it takes
/// 4 bytes (5 for N = 200); it is part of every sample's byte count.
public struct LatentHeader: Sendable, Equatable {
  public var depth: Int
  public var timesteps: Int
  public var width: Int
  public var label: Int?

  public init(depth: Int, timesteps: Int, width: Int, label: Int?) {
    self.depth = depth
    self.timesteps = timesteps
    self.width = width
    self.label = label
  }

  public init(of sample: LatentSample) {
    self.init(depth: sample.depth, timesteps: sample.timesteps, width: sample.width, label: sample.label)
  }

  public var kind: LatentKind { LatentKind(depth: depth) }

  /// Encoded size in bytes.
  public var byteCount: Int {
    ByteWriter.varintSize(depth) + ByteWriter.varintSize(timesteps) + ByteWriter.varintSize(width)
      + ByteWriter.varintSize(label.map { $0 + 1 } ?? 0)
  }

  func write(to w: inout ByteWriter) {
    w.varint(depth)
    w.varint(timesteps)
    w.varint(width)
    w.varint(label.map { $0 + 1 } ?? 0)
  }

  static func read(from r: inout ByteReader) throws -> LatentHeader {
    let d = try r.varint(), t = try r.varint(), n = try r.varint(), l = try r.varint()
    let label = l == 0 ? nil : l - 1
    do {
      // Validates the shape (and its size limit) before any decoder allocates T x N entries.
      try LatentSample.checkShape(depth: d, timesteps: t, width: n, label: label)
    } catch let e as LatentSampleError {
      throw ReplayCodecError.invalidHeader(codec: r.codec, reason: e.description)
    }
    return LatentHeader(depth: d, timesteps: t, width: n, label: label)
  }

  /// Reads a header that must describe spike latents (d >= 1): where every event-form decoder
  /// starts.
  static func readSpikes(from r: inout ByteReader) throws -> LatentHeader {
    let h = try read(from: &r)
    guard h.kind == .spikes else { throw ReplayCodecError.currentsNotSpikes(codec: r.codec) }
    return h
  }

  /// The event-form latent with this header's metadata. Only for decoders that emit each step's
  /// units ascending and below the width: the engine trusts it without re-checking.
  func spikeLatent(stepOffsets: [Int32], units: [Int32]) -> SpikeLatent {
    SpikeLatent(
      depth: depth, timesteps: timesteps, width: width, stepOffsets: stepOffsets, units: units, label: label,
      wellFormedByConstruction: true)
  }

  /// The decoded sample with this header's metadata.
  func sample(_ values: [Float]) -> LatentSample {
    LatentSample(depth: depth, timesteps: timesteps, width: width, values: values, label: label)
  }
}
