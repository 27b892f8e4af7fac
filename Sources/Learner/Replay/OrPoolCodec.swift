/// `orpool:w`: SpikingLR's lossy time compression ("sub-sampling"). Time is cut into
/// W = ceil(T / w) windows of w steps (the last may be shorter). Per (window, unit) the codec
/// stores, after the header:
/// - spikes: 1 bit, the OR of the unit's spikes in the window (N x W bits, packed window-major);
/// - currents (d = 0): the Float32 sum of the window's currents (N x W x 4 bytes).
/// Decoding injects each stored value at the FIRST step of its window and zeros at the other
/// steps, so the decoded sample still has T steps (SpikingLR replays all T). Lossless only
/// for w = 1.
public struct OrPoolCodec: ReplayCodec {
  /// Window length w in steps (>= 1).
  public let window: Int

  /// Throws `ReplayCodecError.invalidWindow` when `window` is outside 1...`EngineLimits.timesteps`.
  public init(window: Int) throws {
    guard (1...EngineLimits.timesteps).contains(window) else { throw ReplayCodecError.invalidWindow("orpool:\(window)") }
    self.window = window
  }

  public var name: String { "orpool:\(window)" }
  public var isLossless: Bool { window == 1 }

  /// Number of windows for `timesteps` steps: ceil(T / w).
  public func windowCount(timesteps: Int) -> Int { timesteps <= 0 ? 0 : (timesteps - 1) / window + 1 }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    let cells = windowCount(timesteps: sample.timesteps) * sample.width
    let body = sample.kind == .spikes ? BitPacking.byteCount(bits: cells) : 4 * cells
    return LatentHeader(of: sample).byteCount + body
  }

  /// The pooled values, window-major `[W][N]`: OR of spikes (0/1) or sum of currents. This is
  /// SpikingLR's compressed representation itself.
  public func pooled(_ sample: LatentSample) -> [Float] {
    let n = sample.width
    var out = [Float](repeating: 0, count: windowCount(timesteps: sample.timesteps) * n)
    let spikes = sample.kind == .spikes
    for t in 0..<sample.timesteps {
      let k = t / window
      for u in 0..<n {
        let v = sample.values[t * n + u]
        if spikes {
          if v != 0 { out[k * n + u] = 1 }
        } else if t % window == 0 {
          // The window's first step is copied, not added to 0, so w = 1 keeps -0.0 and NaN
          // payloads bit-exact; later steps are summed in time order.
          out[k * n + u] = v
        } else {
          out[k * n + u] += v
        }
      }
    }
    return out
  }

  public func encode(_ sample: LatentSample) throws -> [UInt8] {
    try sample.validateForReplay()
    var w = ByteWriter(capacity: encodedByteCount(of: sample))
    LatentHeader(of: sample).write(to: &w)
    let p = pooled(sample)
    switch sample.kind {
    case .spikes: BitPacking.pack(p.map { $0 != 0 ? 1 : 0 }, into: &w)
    case .currents: for f in p { w.float32(f) }
    }
    return w.bytes
  }

  public func decode(_ bytes: [UInt8]) throws -> LatentSample {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.read(from: &r)
    let n = h.width
    let wc = windowCount(timesteps: h.timesteps)
    var values = [Float](repeating: 0, count: h.timesteps * n)
    switch h.kind {
    case .spikes:
      let bits = try BitPacking.unpack(bits: wc * n, from: &r)
      for k in 0..<wc {
        let t = k * window  // first step of window k
        for u in 0..<n where bits[k * n + u] != 0 { values[t * n + u] = 1 }
      }
    case .currents:
      try r.require(4 * wc * n)
      for k in 0..<wc {
        let t = k * window
        for u in 0..<n { values[t * n + u] = try r.float32() }
      }
    }
    try r.finish()
    return h.sample(values)
  }

  /// Spikes straight into event form: window k's units fire at its first step, other steps are empty.
  public func decodeSpikes(_ bytes: [UInt8]) throws -> SpikeLatent {
    var r = ByteReader(bytes, codec: name)
    let h = try LatentHeader.readSpikes(from: &r)
    let n = h.width
    let wc = windowCount(timesteps: h.timesteps)
    let bits = try BitPacking.unpack(bits: wc * n, from: &r)
    try r.finish()
    var offsets: [Int32] = [0], units: [Int32] = []
    offsets.reserveCapacity(h.timesteps + 1)
    for t in 0..<h.timesteps {
      if t % window == 0 {
        let k = t / window
        for u in 0..<n where bits[k * n + u] != 0 { units.append(Int32(u)) }
      }
      offsets.append(Int32(units.count))
    }
    return h.spikeLatent(stepOffsets: offsets, units: units)
  }
}
