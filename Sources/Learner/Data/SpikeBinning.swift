import Dispatch
import Foundation

/// Turns spike events into counts per (time bin, channel): T bins of width `maxTime / T`,
/// `bin = floor(t / width)`, events at `t >= maxTime` dropped, several spikes of one channel in
/// one bin summed (SpikingLR's input encoding). Two optional front-end steps, both off by default
/// (SpikingLR's encoding) and stored with a model so inference bins exactly as training did:
/// `onset` shifts each sample so that its utterance starts at the same time, and `pooling` sums
/// adjacent sensor channels (700 → 700 / k inputs).
public struct SpikeBinning: Sendable, Equatable, Codable {
  /// Number of bins T.
  public var timesteps: Int
  /// Length of the binned window in seconds (SHD: 1.4 s).
  public var maxTime: Double
  /// Sensor channels summed into one input channel (1: none).
  public var pooling: Int
  /// Onset alignment, or nil to bin the times as recorded.
  public var onset: OnsetAlignment?

  public init(timesteps: Int, maxTime: Double = 1.4, pooling: Int = 1, onset: OnsetAlignment? = nil) {
    self.timesteps = timesteps
    self.maxTime = maxTime
    self.pooling = pooling
    self.onset = onset
  }

  /// True when binning keeps at least one of these (finite, >= 0) event times: one lies in
  /// `[0, maxTime)` after onset alignment. False means the sample bins to silence (times in
  /// absolute clock seconds rather than from the sample's start, say).
  public func keepsAnyEvent(_ times: [Float]) -> Bool {
    let shift = onset.map { $0.shift(for: times) } ?? 0
    return times.contains { time in
      let t = Double(time) + shift
      return t >= 0 && t < maxTime
    }
  }

  /// Input channels of the binned form for `sensorChannels` recorded channels.
  public func inputChannels(sensorChannels: Int) -> Int { (sensorChannels + pooling - 1) / max(pooling, 1) }

  /// Bins one sample. Events must lie at `t >= 0` on channels `0 ..< channelCount` (sensor
  /// channels, before pooling). `jitter` perturbs the events first (training-time augmentation).
  public func bin(_ sample: SpikeSample, channelCount: Int, jitter: EventJitter? = nil) throws -> BinnedSample {
    guard timesteps > 0 else { throw BinningError.invalidTimesteps(timesteps) }
    guard maxTime > 0, maxTime.isFinite else { throw BinningError.invalidMaxTime(maxTime) }
    guard pooling >= 1 else { throw BinningError.invalidPooling(pooling) }
    let width = maxTime / Double(timesteps)
    let inputs = inputChannels(sensorChannels: channelCount)
    for i in 0..<sample.eventCount {
      let t = sample.times[i]
      guard t.isFinite, t >= 0 else { throw BinningError.invalidTime(index: i, time: t) }
      let unit = Int(sample.units[i])
      guard unit < channelCount else { throw BinningError.channelOutOfRange(index: i, unit: unit, channelCount: channelCount) }
    }
    let shift = onset.map { $0.shift(for: sample.times) } ?? 0
    var random = jitter.map { SeededGenerator(seed: $0.seed) }
    // Counting sort by bin, then a dense scratch row per bin keeps the result exact and ordered.
    var binOf = [Int32](repeating: -1, count: sample.eventCount)
    var inputOf = [Int32](repeating: 0, count: sample.eventCount)
    var perBin = [Int](repeating: 0, count: timesteps)
    for i in 0..<sample.eventCount {
      var t = Double(sample.times[i]) + shift
      var unit = Int(sample.units[i])
      if let jitter, var generator = random {
        t = t * jitter.stretch + jitter.timeShift
        unit += jitter.channelShift
        let dropped = jitter.dropout > 0 && Double.random(in: 0..<1, using: &generator) < jitter.dropout
        random = generator
        if dropped || unit < 0 || unit >= channelCount { continue }
      }
      if t < 0 || t >= maxTime { continue }
      // Guard against the quotient rounding up to T for t just below maxTime.
      let b = min(Int((t / width).rounded(.down)), timesteps - 1)
      binOf[i] = Int32(b)
      inputOf[i] = Int32(unit / pooling)
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
    var row = [Float](repeating: 0, count: inputs)
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(timesteps + 1)
    var channels: [Int32] = []
    var counts: [Float] = []
    var touched: [Int] = []
    for b in 0..<timesteps {
      touched.removeAll(keepingCapacity: true)
      for k in start[b]..<start[b + 1] {
        let input = Int(inputOf[order[k]])
        if row[input] == 0 { touched.append(input) }
        row[input] += 1
      }
      touched.sort()
      for input in touched {
        channels.append(Int32(input))
        counts.append(row[input])
        row[input] = 0
      }
      offsets.append(Int32(channels.count))
    }
    return BinnedSample(
      timesteps: timesteps, channelCount: inputs, stepOffsets: offsets, channels: channels,
      counts: counts, label: sample.label)
  }

  /// Bins every sample of a dataset, labels kept, `jitter(index)` applied (augmentation), split
  /// over `threads` in fixed index ranges (the result does not depend on the thread count).
  public func bin(
    _ dataset: SpikeDataset, threads: Int = 1, jitter: (Int) -> EventJitter? = { _ in nil }
  ) throws -> [BinnedSample] {
    let n = dataset.count
    let parts = max(1, min(threads, n))
    var results = [[BinnedSample]](repeating: [], count: parts)
    var failure: Error?
    let lock = NSLock()
    results.withUnsafeMutableBufferPointer { out in
      let out = out
      DispatchQueue.concurrentPerform(iterations: parts) { p in
        let lo = p * n / parts, hi = (p + 1) * n / parts
        do {
          var chunk: [BinnedSample] = []
          chunk.reserveCapacity(hi - lo)
          for i in lo..<hi {
            chunk.append(try bin(dataset.samples[i], channelCount: dataset.channelCount, jitter: jitter(i)))
          }
          out[p] = chunk
        } catch {
          lock.lock()
          failure = failure ?? error
          lock.unlock()
        }
      }
    }
    if let failure { throw failure }
    return results.flatMap { $0 }
  }
}

/// Aligns a sample on its utterance onset: the time by which a fraction `quantile` of its spikes
/// has occurred is moved to `lead` seconds. A quantile rather than the first spike, because
/// spontaneous fibre activity puts a few spikes at t ≈ 0 in nearly every SHD sample.
public struct OnsetAlignment: Sendable, Equatable, Codable {
  /// Fraction of the sample's spikes that marks the onset (e.g. 0.05).
  public var quantile: Double
  /// Where the onset lands in the binned window, in seconds.
  public var lead: Double

  public init(quantile: Double = 0.05, lead: Double = 0.1) {
    self.quantile = quantile
    self.lead = lead
  }

  /// Seconds to add to every event time of a sample with these (finite, >= 0) times.
  public func shift(for times: [Float]) -> Double {
    guard !times.isEmpty else { return 0 }
    let k = min(max(Int((quantile * Double(times.count - 1)).rounded(.down)), 0), times.count - 1)
    var sorted = true
    for i in 1..<times.count where times[i] < times[i - 1] { sorted = false; break }
    let onset = sorted ? times[k] : times.sorted()[k]
    return lead - Double(onset)
  }
}

/// One random perturbation of a sample's events (training-time augmentation): times stretched
/// and shifted, channels shifted, a fraction of events dropped. Events pushed outside the window
/// or the channel range are dropped.
public struct EventJitter: Sendable, Equatable {
  /// Seconds added to every time (after stretching).
  public var timeShift: Double
  /// Factor on every time.
  public var stretch: Double
  /// Channels added to every unit.
  public var channelShift: Int
  /// Probability of dropping each event.
  public var dropout: Double
  /// Seed of the drop-out draws.
  public var seed: UInt64

  public init(timeShift: Double = 0, stretch: Double = 1, channelShift: Int = 0, dropout: Double = 0, seed: UInt64 = 0) {
    self.timeShift = timeShift
    self.stretch = stretch
    self.channelShift = channelShift
    self.dropout = dropout
    self.seed = seed
  }
}

/// Why a sample could not be binned.
public enum BinningError: Error, CustomStringConvertible, Equatable {
  /// The number of bins is not positive.
  case invalidTimesteps(Int)
  /// The window length is not a positive finite number of seconds.
  case invalidMaxTime(Double)
  /// The channel pooling factor is below 1.
  case invalidPooling(Int)
  /// An event time is negative, infinite or NaN.
  case invalidTime(index: Int, time: Float)
  /// An event's unit is not a channel of the dataset.
  case channelOutOfRange(index: Int, unit: Int, channelCount: Int)

  public var description: String {
    switch self {
    case .invalidTimesteps(let t): return "binning: timesteps must be > 0, got \(t)"
    case .invalidMaxTime(let m): return "binning: maxTime must be a positive number of seconds, got \(m)"
    case .invalidPooling(let k): return "binning: channel pooling must be >= 1, got \(k)"
    case .invalidTime(let i, let t): return "binning: spike \(i) has time \(t) s; times must be finite and >= 0"
    case .channelOutOfRange(let i, let u, let n): return "binning: spike \(i) is on unit \(u), but the input has only \(n) channels (0...\(n - 1))"
    }
  }
}
