import Foundation
import Learner
import Storage
import XCTest

@testable import Node

/// Latent replay in the node's learner: a class learned with replay keeps the old classes,
/// plain fine-tuning on the new class alone forgets them.
final class ReplayLearnerTests: XCTestCase {
  /// 5 synthetic classes; classes 0-3 are pretrained, class 4 arrives later.
  func data() -> (train: [SpikeSample], test: [SpikeSample]) {
    var synth = SyntheticSpikes()
    synth.classCount = 5
    synth.samplesPerClass = 24
    synth.seed = 11
    let samples = synth.make().samples
    // Interleaved by class: the first 16 rounds train, the last 8 test.
    return (Array(samples[0..<80]), Array(samples[80...]))
  }

  func accuracy(_ model: SpikingClassifier, _ samples: [SpikeSample], classes: Set<Int>) -> Double {
    let chosen = samples.filter { classes.contains($0.label!) }
    let right = chosen.filter { sample in
      let s = model.scores(sample)
      return s.indices.max { s[$0] < s[$1] } == sample.label
    }
    return Double(right.count) / Double(chosen.count)
  }

  func pretrained(_ train: [SpikeSample]) throws -> SpikingClassifier {
    let config = NetworkConfig(sizes: [700, 32, 24, 5], timesteps: 12, maxTime: 0.5, thresholds: [0.05, 0.05], seed: 3)
    let trainer = Trainer(network: try Network(config: config), optimizer: OptimizerSettings(learningRate: 1e-2), threads: 1, batchSize: 16)
    let old = train.filter { $0.label! < 4 }
    try trainer.train(SpikeDataset(samples: old, channelCount: 700, classNames: []), epochs: 30)
    return SpikingClassifier(network: trainer.network, classes: ClassMap([0: "c0", 1: "c1", 2: "c2", 3: "c3"]), version: 1, frozenDepth: 2)
  }

  func testReplayKeepsOldClassesWhereFineTuningForgets() throws {
    let (train, test) = data()
    let model = try pretrained(train)
    let old: Set<Int> = [0, 1, 2, 3]
    let before = accuracy(model, test, classes: old)
    XCTAssertGreaterThan(before, 0.8, "pretraining should learn the old classes")

    let buffer = try ReplayLearner.prepareBuffer(model: model, samples: train, samplesPerClass: 8, codec: try replayCodec(named: "auto"))
    XCTAssertEqual(buffer.classes, [0, 1, 2, 3])
    XCTAssertEqual(buffer.sampleCount, 32)
    XCTAssertEqual(buffer.depth, 2)
    XCTAssertGreaterThan(buffer.totalBytes, 0)

    let job = LearningJob(newClasses: ClassMap([4: "c4"]), samples: train.filter { $0.label == 4 })
    var updates: [LearningUpdate] = []
    let learner = ReplayLearner(buffer: buffer, samplesPerClass: 8, epochs: 60, learningRate: 1e-2, batchSize: 8)
    let replayed = try XCTUnwrap(try learner.learn(job, from: model) { updates.append($0); return true } as? SpikingClassifier)
    let naive = try XCTUnwrap(
      try SpikingBackend(epochs: 60, learningRate: 1e-2, batchSize: 8).learn(job, from: model) { _ in true } as? SpikingClassifier)

    XCTAssertEqual(replayed.version, 2)
    XCTAssertEqual(replayed.classes.ids, [0, 1, 2, 3, 4])
    XCTAssertEqual(replayed.baseFingerprint, model.baseFingerprint, "the frozen base must not change")
    XCTAssertEqual(updates.last?.phase, "learn")
    XCTAssertEqual(updates.last?.epoch, 60)
    let replayOld = accuracy(replayed, test, classes: old)
    let naiveOld = accuracy(naive, test, classes: old)
    let replayNew = accuracy(replayed, test, classes: [4])
    XCTAssertGreaterThan(replayNew, 0.7, "the new class is learned")
    XCTAssertGreaterThan(replayOld, before - 0.15, "replay keeps the old classes (before \(before))")
    XCTAssertGreaterThan(replayOld, naiveOld + 0.3, "replay \(replayOld) vs fine-tuning \(naiveOld)")
    // The new class joined the replay memory for later runs.
    XCTAssertEqual(learner.buffer.sampleCount(ofClass: 4), 8)
  }

  func testRefusesAModelWithAnotherBase() throws {
    let (train, _) = data()
    let model = try pretrained(Array(train.prefix(40)))
    let buffer = try ReplayLearner.prepareBuffer(model: model, samples: train, samplesPerClass: 2, codec: RawCodec())
    var network = model.network
    var w1 = try network.parameter("W1")
    w1.values[0] += 1
    try network.setParameter("W1", w1)
    let other = SpikingClassifier(network: network, classes: model.classes, version: 1, frozenDepth: 2)
    let job = LearningJob(newClasses: ClassMap([4: "c4"]), samples: train.filter { $0.label == 4 })
    XCTAssertThrowsError(try ReplayLearner(buffer: buffer, samplesPerClass: 2).learn(job, from: other) { _ in true })
    XCTAssertThrowsError(
      try ReplayLearner.prepareBuffer(model: model, samples: train.filter { $0.label != 2 }, samplesPerClass: 2, codec: RawCodec()),
      "a known class without replay samples is an error")
  }
}
