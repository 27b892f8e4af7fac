/// Mean encoded size of a set of latents under several codecs, and the compression ratio
/// against `raw` (both with headers): the numbers a codec sweep or a report prints.
public struct CodecSize: Sendable, Equatable, Codable {
  public var codec: String
  public var samples: Int
  public var totalBytes: Int
  /// Mean bytes per sample, header included.
  public var bytesPerSample: Double
  /// raw bytes / this codec's bytes over the same samples.
  public var ratioToRaw: Double

  /// Sizes of `samples` under each codec (exact byte counts, nothing is decoded).
  public static func measure(codecs: [any ReplayCodec], samples: [LatentSample]) -> [CodecSize] {
    let raw = samples.reduce(0) { $0 + RawCodec().encodedByteCount(of: $1) }
    return codecs.map { c in
      let total = samples.reduce(0) { $0 + c.encodedByteCount(of: $1) }
      return CodecSize(
        codec: c.name, samples: samples.count, totalBytes: total,
        bytesPerSample: samples.isEmpty ? 0 : Double(total) / Double(samples.count),
        ratioToRaw: total == 0 ? 0 : Double(raw) / Double(total))
    }
  }
}
