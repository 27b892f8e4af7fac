import Foundation
@testable import Learner

/// Small synthetic spike data for continual-learning tests: class k fires a band of channels
/// (its own 8 channels) in a burst whose onset depends on k, plus random background spikes.
enum ContinualFixture {
  static let channels = 32
  static let maxTime = 0.2

  static func sample(label: Int, speaker: Int, rng: inout SeededGenerator) -> SpikeSample {
    var events: [(Float, UInt16)] = []
    let band = (label * 8) % channels
    let onset = 0.02 + 0.03 * Double(label % 4)
    for c in band..<(band + 8) {
      for j in 0..<4 where rng.nextUniform() < 0.85 {
        let t = onset + 0.012 * Double(j) + 0.006 * rng.nextUniform()
        events.append((Float(t), UInt16(c)))
      }
    }
    for _ in 0..<10 {
      events.append((Float(rng.nextUniform() * maxTime * 0.95), UInt16(rng.nextIndex(below: channels))))
    }
    events.sort { $0.0 < $1.0 }
    return SpikeSample(times: events.map(\.0), units: events.map(\.1), label: label, speaker: speaker)
  }

  /// `perClass` training and `perClass / 2` test samples of each of `classes` classes.
  static func data(classes: Int = 4, perClass: Int = 24, seed: UInt64 = 7) -> ContinualData {
    var rng = SeededGenerator(seed: seed)
    var train: [SpikeSample] = [], test: [SpikeSample] = []
    for i in 0..<perClass {
      for k in 0..<classes { train.append(sample(label: k, speaker: i % 4, rng: &rng)) }
    }
    for i in 0..<(perClass / 2) {
      for k in 0..<classes { test.append(sample(label: k, speaker: 4 + i % 2, rng: &rng)) }
    }
    let names = (0..<classes).map { "c\($0)" }
    return ContinualData(
      train: SpikeDataset(samples: train, channelCount: channels, classNames: names),
      test: SpikeDataset(samples: test, channelCount: channels, classNames: names))
  }

  /// Settings of a small, fast network for `method`.
  static func settings(_ method: String) throws -> ContinualSettings {
    var s = try ContinualSettings.preset(method)
    s.pretrainRecipe = nil  // SpikingLR's front end; ContinualRecipeTests covers recipe pretraining
    s.hiddenSizes = [24, 16]
    s.pretrainTimesteps = 20
    s.learnTimesteps = 20
    s.maxTime = maxTime
    s.depth = 1
    s.codec = "float32"
    s.replaySamplesPerClass = 12
    s.pretrainEpochs = 25
    s.pretrainLearningRate = 1e-2
    s.batchSize = 16
    s.threads = 1
    s.learnThresholds = s.learnThresholds.map { _ in [0.9, 0.9] }
    if s.strategy == .replay { s.learnEpochs = 8; s.learnLearningRate = 5e-3 }
    if s.strategy == .naive { s.learnLearningRate = 5e-3 }
    return s
  }
}
