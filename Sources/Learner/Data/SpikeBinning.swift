/// Turns spike events into counts per (time bin, channel): T bins of width `maxTime / T`,
/// `bin = floor(t / width)`, events at `t >= maxTime` dropped, several spikes of one channel in
/// one bin summed (SpikingLR's input encoding).
public struct SpikeBinning: Sendable, Equatable, Codable {
  /// Number of bins T.
  public var timesteps: Int
  /// Length of the binned window in seconds (SHD: 1.4 s).
  public var maxTime: Double

  public init(timesteps: Int, maxTime: Double = 1.4) {
    self.timesteps = timesteps
    self.maxTime = maxTime
  }

  /// Bins one sample. Events must lie at `t >= 0` on channels `0 ..< channelCount`.
  public func bin(_ sample: SpikeSample, channelCount: Int) throws -> BinnedSample {
    guard timesteps > 0 else { throw BinningError.invalidTimesteps(timesteps) }
    guard maxTime > 0, maxTime.isFinite else { throw BinningError.invalidMaxTime(maxTime) }
    let width = maxTime / Double(timesteps)
    // Counting sort by bin, then a dense scratch row per bin keeps the result exact and ordered.
    var binOf = [Int32](repeating: -1, count: sample.eventCount)
    var perBin = [Int](repeating: 0, count: timesteps)
    for i in 0..<sample.eventCount {
      let t = Double(sample.times[i])
      guard t.isFinite, t >= 0 else { throw BinningError.invalidTime(index: i, time: sample.times[i]) }
      let unit = Int(sample.units[i])
      guard unit < channelCount else { throw BinningError.channelOutOfRange(index: i, unit: unit, channelCount: channelCount) }
      if t >= maxTime { continue }
      // Guard against the quotient rounding up to T for t just below maxTime.
      let b = min(Int((t / width).rounded(.down)), timesteps - 1)
      binOf[i] = Int32(b)
      perBin[b] += 1
    }
    var order = [Int](repeating: 0, count: sample.eventCount)
    var start = [Int](repeating: 0, count: timesteps + 1)
    for b in 0..<timesteps { start[b + 1] = start[b] + perBin[b] }
    var fill = start
    for i in 0..<sample.eventCount where binOf[i] >= 0 {
      let b = Int(binOf[i])
      order[fill[b]] = i
      fill[b] += 1
    }
    var row = [Float](repeating: 0, count: channelCount)
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(timesteps + 1)
    var channels: [Int32] = []
    var counts: [Float] = []
    var touched: [Int] = []
    for b in 0..<timesteps {
      touched.removeAll(keepingCapacity: true)
      for k in start[b]..<start[b + 1] {
        let unit = Int(sample.units[order[k]])
        if row[unit] == 0 { touched.append(unit) }
        row[unit] += 1
      }
      touched.sort()
      for unit in touched {
        channels.append(Int32(unit))
        counts.append(row[unit])
        row[unit] = 0
      }
      offsets.append(Int32(channels.count))
    }
    return BinnedSample(
      timesteps: timesteps, channelCount: channelCount, stepOffsets: offsets, channels: channels,
      counts: counts, label: sample.label)
  }

  /// Bins every sample of a dataset, labels kept.
  public func bin(_ dataset: SpikeDataset) throws -> [BinnedSample] {
    try dataset.samples.map { try bin($0, channelCount: dataset.channelCount) }
  }
}

/// Why a sample could not be binned.
public enum BinningError: Error, CustomStringConvertible, Equatable {
  /// The number of bins is not positive.
  case invalidTimesteps(Int)
  /// The window length is not a positive finite number of seconds.
  case invalidMaxTime(Double)
  /// An event time is negative, infinite or NaN.
  case invalidTime(index: Int, time: Float)
  /// An event's unit is not a channel of the dataset.
  case channelOutOfRange(index: Int, unit: Int, channelCount: Int)

  public var description: String {
    switch self {
    case .invalidTimesteps(let t): return "binning: timesteps must be > 0, got \(t)"
    case .invalidMaxTime(let m): return "binning: maxTime must be a positive number of seconds, got \(m)"
    case .invalidTime(let i, let t): return "binning: spike \(i) has time \(t) s; times must be finite and >= 0"
    case .channelOutOfRange(let i, let u, let n): return "binning: spike \(i) is on unit \(u), but the input has only \(n) channels (0...\(n - 1))"
    }
  }
}
