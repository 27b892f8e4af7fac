/// `raw`: the header, then one byte (0/1) per spike entry or 4 bytes (little-endian Float32)
/// per current entry, time-major. The uncompressed reference for byte counts.
public struct RawCodec: ReplayCodec {
  public init() {}
  public var name: String { "raw" }
  public var isLossless: Bool { true }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    LatentHeader(of: sample).byteCount + sample.entryCount * (sample.kind == .spikes ? 1 : 4)
  }

  public func encode(_ sample: LatentSample) throws -> [UInt8] {
    try sample.validateForReplay()
    var w = ByteWriter(capacity: encodedByteCount(of: sample))
    LatentHeader(of: sample).write(to: &w)
    switch sample.kind {
    case .spikes: w.bytes.append(contentsOf: sample.nonZeroFlags)
    case .currents: for f in sample.values { w.float32(f) }
    }
    return w.bytes
  }

  public func decode(_ bytes: [UInt8]) throws -> LatentSample {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.read(from: &r)
    let count = h.timesteps * h.width
    var values = [Float](repeating: 0, count: count)
    switch h.kind {
    case .spikes:
      try r.require(count)
      for i in 0..<count {
        let b = try r.byte()
        guard b <= 1 else { throw ReplayCodecError.notBinary(codec: name, index: i, value: b) }
        values[i] = Float(b)
      }
    case .currents:
      try r.require(count * 4)
      for i in 0..<count { values[i] = try r.float32() }
    }
    try r.finish()
    return h.sample(values)
  }
}
