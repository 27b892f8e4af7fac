/// The per-sample header every codec writes first: what the decoder needs to rebuild a sample
/// on its own. Layout: 1 byte kind (0 = spikes, 1 = currents), then LEB128 varints T, N, label.
/// For T, N, label < 128 it takes 4 bytes; it is part of every sample's byte count.
public struct LatentHeader: Sendable, Equatable {
  public var kind: LatentKind
  public var timesteps: Int
  public var units: Int
  public var label: Int

  public init(kind: LatentKind, timesteps: Int, units: Int, label: Int) {
    self.kind = kind
    self.timesteps = timesteps
    self.units = units
    self.label = label
  }

  public init(of sample: LatentSample) {
    self.init(kind: sample.kind, timesteps: sample.timesteps, units: sample.units, label: sample.label)
  }

  /// Encoded size in bytes.
  public var byteCount: Int {
    1 + ByteWriter.varintSize(timesteps) + ByteWriter.varintSize(units) + ByteWriter.varintSize(label)
  }

  func write(to w: inout ByteWriter) {
    w.byte(kind == .spikes ? 0 : 1)
    w.varint(timesteps)
    w.varint(units)
    w.varint(label)
  }

  static func read(from r: inout ByteReader) throws -> LatentHeader {
    let k = try r.byte()
    guard k <= 1 else { throw ReplayCodecError.unknownKind(codec: r.codec, byte: k) }
    let t = try r.varint(), n = try r.varint(), label = try r.varint()
    do {
      // Validates the shape (and its size limit) before any decoder allocates T x N entries.
      try LatentSample.checkShape(timesteps: t, units: n, label: label, count: t &* n)
    } catch let e as LatentSampleError {
      throw ReplayCodecError.invalidHeader(codec: r.codec, reason: e.description)
    }
    return LatentHeader(kind: k == 0 ? .spikes : .currents, timesteps: t, units: n, label: label)
  }
}
