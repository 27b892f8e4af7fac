@testable import Learner

/// Small synthetic spike data for engine tests: each class fires a band of channels in its own
/// time window on top of uniform background noise, so classes are separable but not trivially.
enum SyntheticSpikes {
  static func dataset(classes: Int, perClass: Int, channels: Int, maxTime: Float = 1.0, seed: UInt64) -> SpikeDataset {
    var rng = SeededGenerator(seed: seed)
    var samples: [SpikeSample] = []
    let band = channels / classes
    for k in 0..<(classes * perClass) {
      let label = k % classes
      var events: [(Float, UInt16)] = []
      for _ in 0..<(channels * 4) {  // background
        events.append((Float(rng.nextUniform()) * maxTime, UInt16(rng.nextIndex(below: channels))))
      }
      let start = Float(label) / Float(classes) * maxTime * 0.5
      for _ in 0..<(band * 25) {  // class band in its window
        let t = start + Float(rng.nextUniform()) * maxTime * 0.5
        events.append((t, UInt16(label * band + rng.nextIndex(below: band))))
      }
      events.sort { $0.0 < $1.0 }
      samples.append(SpikeSample(times: events.map(\.0), units: events.map(\.1), label: label))
    }
    return SpikeDataset(samples: samples, channelCount: channels, classNames: (0..<classes).map { "c\($0)" })
  }

  /// Random binned samples with about `density` of the cells active, labels cycling.
  static func binned(count: Int, timesteps: Int, channels: Int, classes: Int, density: Double, seed: UInt64) -> [BinnedSample] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { i in
      let dense = (0..<(timesteps * channels)).map { _ in Float(rng.nextUniform() < density ? 1 + rng.nextIndex(below: 2) : 0) }
      return BinnedSample(dense: dense, timesteps: timesteps, channelCount: channels, label: i % classes)
    }
  }
}
