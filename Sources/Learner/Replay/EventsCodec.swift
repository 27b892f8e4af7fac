/// `events`: the header, then per timestep a varint count c followed by c unit ids, ascending,
/// delta-coded as LEB128 varints (the first id as is, each next one as `id - previous - 1`).
/// For currents (d = 0) each id is followed by its Float32 value; +0.0 entries are skipped.
/// Cheap for sparse activity: T + (spikes x ~1) bytes for N <= 128.
public struct EventsCodec: ReplayCodec {
  public init() {}
  public var name: String { "events" }
  public var isLossless: Bool { true }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    var total = LatentHeader(of: sample).byteCount
    let n = sample.width
    let floatBytes = sample.kind == .currents ? 4 : 0
    let flags = sample.nonZeroFlags
    for t in 0..<sample.timesteps {
      var count = 0
      var prev = -1
      for u in 0..<n where flags[t * n + u] != 0 {
        total += ByteWriter.varintSize(u - prev - 1) + floatBytes
        prev = u
        count += 1
      }
      total += ByteWriter.varintSize(count)
    }
    return total
  }

  public func encode(_ sample: LatentSample) throws -> [UInt8] {
    try sample.validateForReplay()
    var w = ByteWriter(capacity: encodedByteCount(of: sample))
    LatentHeader(of: sample).write(to: &w)
    let n = sample.width
    let flags = sample.nonZeroFlags
    let currents = sample.kind == .currents
    var ids: [Int] = []
    ids.reserveCapacity(n)
    for t in 0..<sample.timesteps {
      ids.removeAll(keepingCapacity: true)
      for u in 0..<n where flags[t * n + u] != 0 { ids.append(u) }
      w.varint(ids.count)
      var prev = -1
      for u in ids {
        w.varint(u - prev - 1)
        if currents { w.float32(sample.values[t * n + u]) }
        prev = u
      }
    }
    return w.bytes
  }

  public func decode(_ bytes: [UInt8]) throws -> LatentSample {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.read(from: &r)
    let n = h.width
    // Every step needs at least its count byte: a header claiming more steps than bytes is
    // rejected before the T x N allocation.
    try r.require(h.timesteps)
    var values = [Float](repeating: 0, count: h.timesteps * n)
    for t in 0..<h.timesteps {
      var prev = -1
      for _ in 0..<(try stepCount(&r, step: t, units: n)) {
        let u = try nextUnit(&r, after: prev, step: t, units: n)
        if h.kind == .spikes {
          values[t * n + u] = 1
        } else {
          let f = try r.float32()
          guard f.bitPattern != 0 else { throw ReplayCodecError.storedZero(codec: name, index: t * n + u) }
          values[t * n + u] = f
        }
        prev = u
      }
    }
    try r.finish()
    return h.sample(values)
  }

  public func decodeSpikes(_ bytes: [UInt8]) throws -> SpikeLatent {
    // As `decode`, straight into event form: no T x N array (replay decodes every epoch).
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.readSpikes(from: &r)
    let n = h.width
    try r.require(h.timesteps)
    var offsets = [Int32](), units = [Int32]()
    offsets.reserveCapacity(h.timesteps + 1)
    units.reserveCapacity(r.remaining - h.timesteps)  // every stored spike takes at least one byte
    offsets.append(0)
    for t in 0..<h.timesteps {
      var prev = -1
      for _ in 0..<(try stepCount(&r, step: t, units: n)) {
        prev = try nextUnit(&r, after: prev, step: t, units: n)
        units.append(Int32(truncatingIfNeeded: prev))
      }
      offsets.append(Int32(truncatingIfNeeded: units.count))
    }
    try r.finish()
    return h.spikeLatent(stepOffsets: offsets, units: units)
  }

  /// A step's event count, at most the `units` of a step.
  @inline(__always)
  private func stepCount(_ r: inout ByteReader, step t: Int, units n: Int) throws -> Int {
    let count = try r.varint()
    guard count <= n else { throw ReplayCodecError.countTooLarge(codec: name, step: t, count: count, units: n) }
    return count
  }

  /// The unit after `prev` (delta-coded: `prev + 1 + delta`), below `units`.
  @inline(__always)
  private func nextUnit(_ r: inout ByteReader, after prev: Int, step t: Int, units n: Int) throws -> Int {
    let delta = try r.varint()
    guard delta < n - prev - 1 else {
      throw ReplayCodecError.unitOutOfRange(codec: name, step: t, unit: prev + 1 + min(delta, n), units: n)
    }
    return prev + 1 + delta
  }
}
