/// `bitpack`: the header, then one bit per entry (time-major, LSB first). For currents (d = 0)
/// the bits mark the entries whose Float32 bit pattern is non-zero, followed by those floats in
/// order: lossless for both kinds, compact when currents are sparse in time.
public struct BitpackCodec: ReplayCodec {
  public init() {}
  public var name: String { "bitpack" }
  public var isLossless: Bool { true }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    let head = LatentHeader(of: sample).byteCount + BitPacking.byteCount(bits: sample.entryCount)
    return sample.kind == .spikes ? head : head + 4 * sample.nonZeroCount
  }

  public func encode(_ sample: LatentSample) throws -> [UInt8] {
    try sample.validateForReplay()
    var w = ByteWriter(capacity: encodedByteCount(of: sample))
    LatentHeader(of: sample).write(to: &w)
    BitPacking.pack(sample.nonZeroFlags, into: &w)
    if sample.kind == .currents {
      for f in sample.values where f.bitPattern != 0 { w.float32(f) }
    }
    return w.bytes
  }

  public func decode(_ bytes: [UInt8]) throws -> LatentSample {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.read(from: &r)
    let count = h.timesteps * h.width
    let flags = try BitPacking.unpack(bits: count, from: &r)
    var values = [Float](repeating: 0, count: count)
    switch h.kind {
    case .spikes:
      for i in 0..<count where flags[i] != 0 { values[i] = 1 }
    case .currents:
      for i in 0..<count where flags[i] != 0 {
        let f = try r.float32()
        // A stored +0.0 would not round-trip to the same bytes: reject it as corrupt.
        guard f.bitPattern != 0 else { throw ReplayCodecError.storedZero(codec: name, index: i) }
        values[i] = f
      }
    }
    try r.finish()
    return h.sample(values)
  }

  /// Spikes straight into event form: the set bits of each step, ascending.
  public func decodeSpikes(_ bytes: [UInt8]) throws -> SpikeLatent {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.readSpikes(from: &r)
    let n = h.width
    let flags = try BitPacking.unpack(bits: h.timesteps * n, from: &r)
    try r.finish()
    var offsets: [Int32] = [0], units: [Int32] = []
    offsets.reserveCapacity(h.timesteps + 1)
    for t in 0..<h.timesteps {
      for u in 0..<n where flags[t * n + u] != 0 { units.append(Int32(truncatingIfNeeded: u)) }
      offsets.append(Int32(truncatingIfNeeded: units.count))
    }
    return h.spikeLatent(stepOffsets: offsets, units: units)
  }
}
