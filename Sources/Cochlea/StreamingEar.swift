import Foundation

/// The cochlea on a live stream (`r4ncl ear`): audio chunks in, one spike sample per window out.
///
/// Differences from whole-clip conversion, which needs the whole clip: instead of normalising
/// the clip to RMS 0.3 and applying a Hann taper, a running gain (automatic gain control) scales
/// each chunk by 0.3 / running RMS, the RMS an exponential average with time constant
/// `gainTimeConstant` (gain capped at `maxGain` so silence is not blown up into noise). The gain
/// is constant within a chunk, so results depend on the chunk size, but are deterministic for a
/// given chunking and seed. Windows of `window` seconds are cut back to back; a window is kept
/// when it has at least `minSpikes` spikes (a simple energy gate).
public final class StreamingEar {
  public let stream: CochleaStream
  public let windowSamples: Int
  public let minSpikes: Int
  public var gainTimeConstant = 1.0
  public var maxGain: Float = 100
  private var meanSquare: Double?
  private var pending = CochleaSpikes(rate: 24_000)
  private var windowStart = 0
  /// Audio seconds consumed.
  public private(set) var seconds = 0.0

  /// `window` in seconds of model time.
  public init(cochlea: Cochlea, seed: UInt64, window: Double, minSpikes: Int) {
    stream = CochleaStream(cochlea: cochlea, seed: seed)
    windowSamples = max(1, Int(window * cochlea.parameters.modelRate))
    self.minSpikes = minSpikes
    pending = CochleaSpikes(rate: cochlea.parameters.modelRate)
  }

  /// The current gain applied to the input.
  public var gain: Float {
    guard let ms = meanSquare, ms > 0 else { return maxGain }
    return min(maxGain, Float(stream.cochlea.parameters.targetRMS / ms.squareRoot()))
  }

  /// Feeds one chunk; returns the windows it completes (times relative to each window start).
  public func feed(_ chunk: [Float]) -> [CochleaSpikes] {
    guard !chunk.isEmpty else { return [] }
    let rate = stream.cochlea.parameters.inputRate
    let ms = chunk.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(chunk.count)
    let a = exp(-Double(chunk.count) / (rate * gainTimeConstant))
    meanSquare = meanSquare.map { a * $0 + (1 - a) * ms } ?? ms
    let g = gain
    pending.append(stream.process(chunk.map { $0 * g }))
    seconds += Double(chunk.count) / rate
    var out = [CochleaSpikes]()
    // A spike at sample i is only known once sample i + 1 is processed.
    while stream.sampleIndex > windowStart + windowSamples {
      out.append(contentsOf: cut(until: windowStart + windowSamples))
    }
    return out
  }

  /// The last, partial window (if it passes the gate).
  public func finish() -> [CochleaSpikes] { cut(until: stream.sampleIndex) }

  private func cut(until end: Int) -> [CochleaSpikes] {
    let n = pending.sampleIndices.firstIndex { Int($0) >= end } ?? pending.count
    var window = CochleaSpikes(rate: pending.rate)
    window.sampleIndices = pending.sampleIndices[..<n].map { $0 - Int32(windowStart) }
    window.channels = Array(pending.channels[..<n])
    pending.sampleIndices.removeFirst(n)
    pending.channels.removeFirst(n)
    windowStart = end
    return window.count >= minSpikes && window.count > 0 ? [window] : []
  }
}
