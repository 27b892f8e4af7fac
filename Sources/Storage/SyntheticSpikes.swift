import Learner

/// A small, seeded, learnable SHD-shaped dataset for tests and smoke runs (no data files
/// needed): each class has a fixed template of (channel, time) anchors; a sample fires each
/// anchor with probability `anchorProbability`, jittered in time and channel, plus uniform
/// noise spikes. Times are rounded to float16 so they survive an SHD write exactly.
public struct SyntheticSpikes: Sendable {
  public var classCount = 4
  public var samplesPerClass = 8
  public var channelCount = SHDFile.channelCount
  /// Clip length in seconds.
  public var duration: Float = 0.5
  /// Anchors per class template.
  public var anchorsPerClass = 60
  public var anchorProbability = 0.8
  /// Uniform background spikes per sample.
  public var noiseSpikes = 40
  /// Distinct speaker ids, assigned round robin.
  public var speakerCount = 3
  public var seed: UInt64 = 1

  public init() {}

  /// The dataset: samples interleaved by class (0, 1, ..., 0, 1, ...), class names "c0", "c1", ...
  public func make() -> SpikeDataset {
    var random = SplitMix64(seed: seed)
    let templates: [[(channel: Int, time: Float)]] = (0..<classCount).map { _ in
      (0..<anchorsPerClass).map { _ in
        (Int(random.next() % UInt64(channelCount)), Float(random.unit()) * duration * 0.9)
      }
    }
    var samples: [SpikeSample] = []
    for index in 0..<(classCount * samplesPerClass) {
      let label = index % classCount
      var events: [(time: Float, unit: UInt16)] = []
      for anchor in templates[label] where random.unit() < anchorProbability {
        let channel = min(channelCount - 1, max(0, anchor.channel + Int(random.next() % 5) - 2))
        let time = min(duration, max(0, anchor.time + Float(random.unit() - 0.5) * 0.01))
        events.append((time, UInt16(channel)))
      }
      for _ in 0..<noiseSpikes {
        events.append((Float(random.unit()) * duration, UInt16(random.next() % UInt64(channelCount))))
      }
      events = events.map { (Float16Bits.round($0.time), $0.unit) }
      events.sort { $0.time < $1.time || ($0.time == $1.time && $0.unit < $1.unit) }
      samples.append(
        SpikeSample(
          times: events.map(\.time), units: events.map(\.unit), label: label,
          speaker: index / classCount % max(1, speakerCount)))
    }
    return SpikeDataset(
      samples: samples, channelCount: channelCount, classNames: (0..<classCount).map { "c\($0)" })
  }
}

/// Steele et al.'s SplitMix64: a tiny seeded generator, identical on every platform.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
