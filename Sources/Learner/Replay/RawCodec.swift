/// `raw`: the header, then one byte (0/1) per spike entry or 4 bytes (little-endian Float32)
/// per current entry, time-major. The uncompressed reference for byte counts.
public struct RawCodec: ReplayCodec {
  public init() {}
  public var name: String { "raw" }
  public var isLossless: Bool { true }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    LatentHeader(of: sample).byteCount + sample.entryCount * (sample.kind == .spikes ? 1 : 4)
  }

  public func encode(_ sample: LatentSample) -> [UInt8] {
    var w = ByteWriter(capacity: encodedByteCount(of: sample))
    LatentHeader(of: sample).write(to: &w)
    switch sample.values {
    case .spikes(let s): w.bytes.append(contentsOf: s)
    case .currents(let c): for f in c { w.float32(f) }
    }
    return w.bytes
  }

  public func decode(_ bytes: [UInt8]) throws -> LatentSample {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.read(from: &r)
    let count = h.timesteps * h.units
    let values: LatentValues
    switch h.kind {
    case .spikes:
      try r.require(count)
      let start = r.offset
      let s = Array(bytes[start..<start + count])
      if let bad = s.firstIndex(where: { $0 > 1 }) {
        throw ReplayCodecError.notBinary(codec: name, index: bad, value: s[bad])
      }
      try r.skip(count)
      values = .spikes(s)
    case .currents:
      try r.require(count * 4)
      var c = [Float](repeating: 0, count: count)
      for i in 0..<count { c[i] = try r.float32() }
      values = .currents(c)
    }
    try r.finish()
    return LatentSample(unchecked: values, timesteps: h.timesteps, units: h.units, label: h.label)
  }
}
