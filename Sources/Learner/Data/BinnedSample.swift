/// One sample's spike counts per (time bin, channel) in event (sparse) form: for each step the
/// active channels and how many spikes each had. The input layer consumes this form directly,
/// because binned SHD input is ~90% zeros (DESIGN.md §3).
public struct BinnedSample: Sendable, Equatable {
  /// Number of time bins T.
  public var timesteps: Int
  /// Number of input channels N.
  public var channelCount: Int
  /// Entries of step t are `stepOffsets[t] ..< stepOffsets[t + 1]` of `channels` and `counts`
  /// (T + 1 offsets, ascending channel order within a step).
  public var stepOffsets: [Int32]
  /// Active channel of each entry.
  public var channels: [Int32]
  /// Spike count of each entry (> 0).
  public var counts: [Float]
  /// Class id, or nil when unlabeled.
  public var label: Int?

  public init(timesteps: Int, channelCount: Int, stepOffsets: [Int32], channels: [Int32], counts: [Float], label: Int?) {
    precondition(stepOffsets.count == timesteps + 1 && channels.count == counts.count)
    self.timesteps = timesteps
    self.channelCount = channelCount
    self.stepOffsets = stepOffsets
    self.channels = channels
    self.counts = counts
    self.label = label
  }

  /// Builds the event form from dense counts `[T][N]` (row-major), keeping non-zero cells.
  public init(dense: [Float], timesteps: Int, channelCount: Int, label: Int? = nil) {
    precondition(dense.count == timesteps * channelCount)
    var offsets: [Int32] = [0]
    var channels: [Int32] = []
    var counts: [Float] = []
    for t in 0..<timesteps {
      for n in 0..<channelCount where dense[t * channelCount + n] != 0 {
        channels.append(Int32(n))
        counts.append(dense[t * channelCount + n])
      }
      offsets.append(Int32(channels.count))
    }
    self.init(timesteps: timesteps, channelCount: channelCount, stepOffsets: offsets, channels: channels, counts: counts, label: label)
  }

  /// Number of non-zero (bin, channel) cells.
  public var activeCellCount: Int { channels.count }

  /// Whether the offsets start at 0, never decrease and end at the entry count, and every
  /// channel is in `0 ..< channelCount` (what the engine's event-driven input layer relies on).
  public var isWellFormed: Bool {
    guard stepOffsets.count == timesteps + 1, stepOffsets.first == 0, Int(stepOffsets[timesteps]) == channels.count,
      counts.count == channels.count
    else { return false }
    for t in 0..<timesteps where stepOffsets[t + 1] < stepOffsets[t] { return false }
    return channels.withUnsafeBufferPointer { ch in
      var lo = Int32.max, hi = Int32.min
      for c in ch {
        lo = min(lo, c)
        hi = max(hi, c)
      }
      return ch.isEmpty || (lo >= 0 && Int(hi) < channelCount)
    }
  }

  /// Total spike count kept by the binning.
  public var spikeCount: Float { counts.reduce(0, +) }

  /// The dense counts `[T][N]`, row-major (time-major).
  public func dense() -> [Float] {
    var out = [Float](repeating: 0, count: timesteps * channelCount)
    for t in 0..<timesteps {
      for e in Int(stepOffsets[t])..<Int(stepOffsets[t + 1]) {
        out[t * channelCount + Int(channels[e])] += counts[e]
      }
    }
    return out
  }
}
