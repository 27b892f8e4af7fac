import Foundation
import Learner
import Storage
import XCTest

@testable import Node

/// The node's learner (the Learner's continual session): a class learned with latent replay
/// keeps the old classes, fine-tuning on the new class alone forgets them; and the node's
/// learned network equals the offline session's bit for bit.
final class ContinualBackendTests: XCTestCase {
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

  /// The replay4ncl preset scaled to the toy network (thresholds 0.05 kept while learning).
  func settings(_ method: String) throws -> ContinualSettings {
    var s = try ContinualSettings.preset(method)
    for (k, v) in [("epochs", "60"), ("learn_lr", "0.01"), ("batch_size", "8"), ("replay_per_class", "8"), ("depth", "2"),
                   ("learn_thresholds", "keep"), ("adaptive", "false"), ("threads", "1")] { try s.set(k, v) }
    return s
  }

  func prepared(_ model: SpikingClassifier, _ train: [SpikeSample], method: String) throws -> SpikingClassifier {
    let session = try ContinualSession.prepare(
      pretrained: model.network, classes: model.classes.ids, settings: try settings(method),
      replayData: SpikeDataset(samples: train, channelCount: 700, classNames: []))
    return SpikingClassifier(network: session.network, classes: model.classes, version: 1, memory: ContinualMemory(session))
  }

  func testReplayKeepsOldClassesWhereFineTuningForgets() throws {
    let (train, test) = data()
    let model = try pretrained(train)
    let old: Set<Int> = [0, 1, 2, 3]
    let before = accuracy(model, test, classes: old)
    XCTAssertGreaterThan(before, 0.8, "pretraining should learn the old classes")

    let start = try prepared(model, train, method: "replay4ncl")
    let store = try XCTUnwrap(start.memory?.store)
    XCTAssertEqual(store.classes, [0, 1, 2, 3])
    XCTAssertEqual(store.sampleCount, 32)
    XCTAssertEqual(store.depth, 2)
    XCTAssertEqual(start.frozenDepth, 2)

    let job = LearningJob(newClasses: ClassMap([4: "c4"]), samples: train.filter { $0.label == 4 })
    var updates: [LearningUpdate] = []
    let replayed = try XCTUnwrap(try ContinualBackend().learn(job, from: start) { updates.append($0); return true } as? SpikingClassifier)
    let naive = try XCTUnwrap(
      try ContinualBackend().learn(job, from: try prepared(model, train, method: "naive")) { _ in true } as? SpikingClassifier)

    XCTAssertEqual(replayed.version, 2)
    XCTAssertEqual(replayed.classes.ids, [0, 1, 2, 3, 4])
    XCTAssertEqual(replayed.baseFingerprint, start.baseFingerprint, "the frozen base must not change")
    XCTAssertEqual(updates.last?.phase, "learn")
    XCTAssertEqual(updates.last?.epoch, 60)
    let replayOld = accuracy(replayed, test, classes: old)
    let naiveOld = accuracy(naive, test, classes: old)
    let replayNew = accuracy(replayed, test, classes: [4])
    XCTAssertGreaterThanOrEqual(replayNew, 0.6, "the new class is learned (chance is 0.2)")
    XCTAssertGreaterThan(replayOld, before - 0.15, "replay keeps the old classes (before \(before))")
    XCTAssertGreaterThan(replayOld, naiveOld + 0.3, "replay \(replayOld) vs fine-tuning \(naiveOld)")
    // The new class joined the replay memory for later runs.
    XCTAssertEqual(replayed.memory?.store?.sampleCount(ofClass: 4), 8)
    XCTAssertThrowsError(try ContinualBackend().learn(job, from: start) { _ in false }) { XCTAssertTrue($0 is LearningCancelled) }
  }

  /// The node's learner is the offline session: same model, replay data, samples and settings
  /// give the same network, bit for bit.
  func testNodeLearningEqualsTheOfflineSessionBitForBit() throws {
    let (train, _) = data()
    let model = try pretrained(train)
    let newSamples = train.filter { $0.label == 4 }
    var s = try settings("replay4ncl")
    try s.set("epochs", "5")
    var offline = try ContinualSession.prepare(
      pretrained: model.network, classes: [0, 1, 2, 3], settings: s, replayData: SpikeDataset(samples: train, channelCount: 700, classNames: []))
    try offline.learn([4], from: SpikeDataset(samples: newSamples, channelCount: 700, classNames: []))

    let node = try SpikingClassifier(network: model.network, classes: model.classes, version: 1, memory: ContinualMemory(
      ContinualSession.prepare(pretrained: model.network, classes: [0, 1, 2, 3], settings: s,
                               replayData: SpikeDataset(samples: train, channelCount: 700, classNames: []))))
    let learned = try XCTUnwrap(
      try ContinualBackend().learn(LearningJob(newClasses: ClassMap([4: "c4"]), samples: newSamples), from: node) { _ in true }
        as? SpikingClassifier)
    XCTAssertEqual(learned.network, offline.network)
    XCTAssertNotEqual(try learned.network.parameter("Wout"), try model.network.parameter("Wout"))
    XCTAssertEqual(learned.memory?.store?.flattened().bytes, offline.store?.flattened().bytes)
  }

  /// A swarm peer learns a class from the latents another node learned it from (its shard),
  /// without raw samples: the same network and replay memory, bit for bit.
  func testLearningFromAPeersLearnedLatentsEqualsLearningFromTheSamples() throws {
    let (train, _) = data()
    let model = try pretrained(train)
    var s = try settings("replay4ncl")
    try s.set("epochs", "5")
    // Hidden layer 2 learns; its thresholds move (learning value, adaptation), the fingerprint must not.
    try s.set("depth", "1")
    try s.set("learn_thresholds", "0.05,0.04")
    try s.set("adaptive", "true")
    let start = SpikingClassifier(network: model.network, classes: model.classes, version: 1, memory: ContinualMemory(
      try ContinualSession.prepare(pretrained: model.network, classes: [0, 1, 2, 3], settings: s,
                                   replayData: SpikeDataset(samples: train, channelCount: 700, classNames: []))))
    let newSamples = train.filter { $0.label == 4 }
    let teacher = try XCTUnwrap(
      try ContinualBackend().learn(LearningJob(newClasses: ClassMap([4: "c4"]), samples: newSamples), from: start) { _ in true }
        as? SpikingClassifier)
    let learned = try XCTUnwrap(teacher.memory?.lastLearned)
    XCTAssertNotEqual(teacher.network.thresholds, start.network.thresholds)
    XCTAssertEqual(teacher.baseFingerprint, start.baseFingerprint, "peers compare it: learning must not change it")
    XCTAssertEqual(learned.classes, [4])
    XCTAssertEqual(learned.sampleCount, newSamples.count, "every latent learned from, not only the stored choice")
    let shard = try learned.decoded(ofClass: 4)

    let peer = try XCTUnwrap(
      try ContinualBackend().learn(LearningJob(newClasses: ClassMap([4: "c4"]), samples: [], latents: shard), from: start) { _ in true }
        as? SpikingClassifier)
    XCTAssertEqual(peer.network, teacher.network)
    XCTAssertEqual(peer.classes.ids, [0, 1, 2, 3, 4])
    XCTAssertEqual(peer.memory?.store?.flattened().bytes, teacher.memory?.store?.flattened().bytes)
    XCTAssertEqual(peer.memory?.store?.sampleCount(ofClass: 4), 8)

    // Latents of another shape are refused with a clear error.
    var wrong = shard[0]
    wrong.depth = 2
    wrong.width = 24
    XCTAssertThrowsError(
      try ContinualBackend().learn(LearningJob(newClasses: ClassMap([4: "c4"]), samples: [], latents: [wrong]), from: start) { _ in true }
    ) { XCTAssertTrue("\($0)".contains("d=2") && "\($0)".contains("d=1"), "\($0)") }
  }

  func testRefusesAModelWithoutMemoryAndReplayWithoutData() throws {
    let (train, _) = data()
    let model = try pretrained(Array(train.prefix(40)))
    let job = LearningJob(newClasses: ClassMap([4: "c4"]), samples: train.filter { $0.label == 4 })
    XCTAssertThrowsError(try ContinualBackend().learn(job, from: model) { _ in true }) {
      XCTAssertTrue("\($0)".contains("memory"), "\($0)")
    }
    XCTAssertThrowsError(
      try ContinualSession.prepare(pretrained: model.network, classes: [0, 1, 2, 3], settings: try settings("replay4ncl"), replayData: nil))
    XCTAssertThrowsError(
      try prepared(model, train.filter { $0.label != 2 }, method: "replay4ncl"), "a known class without replay samples is an error")
  }
}
