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

  /// Throws `ReplayCodecError.invalidWindow` when `window` < 1.
  public init(window: Int) throws {
    guard window >= 1 else { throw ReplayCodecError.invalidWindow("orpool:\(window)") }
    self.window = window
  }

  public var name: String { "orpool:\(window)" }
  public var isLossless: Bool { window == 1 }

  /// Number of windows for `timesteps` steps: ceil(T / w).
  public func windowCount(timesteps: Int) -> Int { (timesteps + window - 1) / window }

  public func encodedByteCount(of sample: LatentSample) -> Int {
    let cells = windowCount(timesteps: sample.timesteps) * sample.units
    let body = sample.kind == .spikes ? BitPacking.byteCount(bits: cells) : 4 * cells
    return LatentHeader(of: sample).byteCount + body
  }

  /// The pooled values, window-major `[W][N]`: OR of spikes (0/1) or sum of currents, as
  /// Floats. This is SpikingLR's compressed representation itself.
  public func pooled(_ sample: LatentSample) -> [Float] {
    let n = sample.units
    let wc = windowCount(timesteps: sample.timesteps)
    var out = [Float](repeating: 0, count: wc * n)
    switch sample.values {
    case .spikes(let s):
      for t in 0..<sample.timesteps {
        let k = t / window
        for u in 0..<n where s[t * n + u] != 0 { out[k * n + u] = 1 }
      }
    case .currents(let c):
      for t in 0..<sample.timesteps {
        let k = t / window
        // The window's first step is copied, not added to 0, so w = 1 keeps -0.0 and NaN
        // payloads bit-exact; later steps are summed in time order.
        if t % window == 0 {
          for u in 0..<n { out[k * n + u] = c[t * n + u] }
        } else {
          for u in 0..<n { out[k * n + u] += c[t * n + u] }
        }
      }
    }
    return out
  }

  public func encode(_ sample: LatentSample) -> [UInt8] {
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
    let n = h.units
    let wc = windowCount(timesteps: h.timesteps)
    let values: LatentValues
    switch h.kind {
    case .spikes:
      let bits = try BitPacking.unpack(bits: wc * n, from: &r)
      var s = [UInt8](repeating: 0, count: h.timesteps * n)
      for k in 0..<wc {
        let t = k * window  // first step of window k
        for u in 0..<n { s[t * n + u] = bits[k * n + u] }
      }
      values = .spikes(s)
    case .currents:
      try r.require(4 * wc * n)
      var c = [Float](repeating: 0, count: h.timesteps * n)
      for k in 0..<wc {
        let t = k * window
        for u in 0..<n { c[t * n + u] = try r.float32() }
      }
      values = .currents(c)
    }
    try r.finish()
    return LatentSample(unchecked: values, timesteps: h.timesteps, units: n, label: h.label)
  }
}
