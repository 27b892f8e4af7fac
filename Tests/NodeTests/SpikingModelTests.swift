import Foundation
import Learner
import Proto
import Storage
import SwiftProtobuf
import XCTest

@testable import Node

final class SpikingModelTests: XCTestCase {
  /// A small network with low thresholds, so synthetic input makes every layer spike.
  func smallNetwork() throws -> Network {
    try Network(config: NetworkConfig(sizes: [700, 24, 12, 4], timesteps: 12, thresholds: [0.01, 0.01], seed: 7))
  }

  func dense(_ k: Int, _ seed: Int) -> SpikeSample { Synthetic.sample(class: k, seed: seed, events: 1500) }

  /// The node's scores are exactly the offline logits of the same network for the same sample.
  func testNodePredictionsEqualOfflineLogitsExactly() throws {
    let network = try smallNetwork()
    let model = SpikingClassifier(network: network, classes: ClassMap(names: ["a", "b", "c", "d"]), version: 1)
    let node = try NodeRuntime(configuration: loopbackConfiguration(), model: model, learner: ContinualBackend(), loader: SpikingBackend())
    try startUntilTeardown(node, self)
    let client = try NodeClient(node)
    try client.handshake()
    let samples = (0..<8).map { dense($0 % 4, $0) }
    for (i, sample) in samples.enumerated() {
      let wire = Synthetic.wire(sample, sensor: "snn", sequence: UInt64(i + 1))
      try client.spikes.send(topic: node.topics.spikes(sensor: "snn"), payload: try wire.serializedBytes())
    }
    XCTAssertTrue(try client.collect(until: { ((try? client.predictions(sensor: "snn")) ?? []).count == 8 }, timeout: 10))
    let runner = NetworkRunner(threads: 1)
    var nonZero = false
    for prediction in try client.predictions(sensor: "snn") {
      let sample = samples[Int(prediction.sequence) - 1]
      let binned = try network.config.binning.bin(sample, channelCount: 700)
      let offline = try runner.logits(network, .binned([binned])).values
      XCTAssertEqual(prediction.scores, offline, "sample \(prediction.sequence)")
      XCTAssertEqual(Int(prediction.classID), offline.indices.max { offline[$0] < offline[$1] })
      nonZero = nonZero || offline.contains { $0 != 0 }
    }
    XCTAssertTrue(nonZero, "the test network should produce non-zero logits")
  }

  func testCheckpointRoundTripKeepsScoresAndFingerprint() throws {
    var network = try smallNetwork()
    network.thresholds = [0.011, 0.009]
    let model = SpikingClassifier(network: network, classes: ClassMap([0: "a", 2: "c"]), version: 5, frozenDepth: 1)
    let checkpoint = model.checkpoint()
    let bytes: [UInt8] = try checkpoint.serializedBytes()
    let loaded = try XCTUnwrap(try SpikingBackend().load(R4ncl_V1_Checkpoint(serializedBytes: bytes)) as? SpikingClassifier)
    XCTAssertEqual(loaded.network, network)
    XCTAssertEqual(loaded.classes, model.classes)
    XCTAssertEqual(loaded.version, 5)
    XCTAssertEqual(loaded.baseFingerprint, model.baseFingerprint)
    XCTAssertEqual(loaded.scores(dense(1, 3)), model.scores(dense(1, 3)))
    XCTAssertThrowsError(try CentroidBackend().load(checkpoint), "a centroid loader refuses a spiking checkpoint")
    XCTAssertThrowsError(try SpikingBackend().load(try Synthetic.model(classes: 2).checkpoint()))

    // The fingerprint covers the frozen base only: the readout may change, layer 1 may not.
    var readoutChanged = network
    var wout = try readoutChanged.parameter("Wout")
    wout.values[0] += 1
    try readoutChanged.setParameter("Wout", wout)
    XCTAssertEqual(SpikingClassifier(network: readoutChanged, classes: model.classes, version: 6, frozenDepth: 1).baseFingerprint, model.baseFingerprint)
    var baseChanged = network
    var w1 = try baseChanged.parameter("W1")
    w1.values[0] += 1
    try baseChanged.setParameter("W1", w1)
    XCTAssertNotEqual(SpikingClassifier(network: baseChanged, classes: model.classes, version: 6, frozenDepth: 1).baseFingerprint, model.baseFingerprint)
  }

  func testModelFileLoadsWithASubsetOfClassesAndLearningAddsOne() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.h5"
    try ModelFile.save(try smallNetwork(), classNames: ["a", "b", "c", "d"], to: URL(fileURLWithPath: path))
    let model = try SpikingBackend.load(modelFile: path, classes: [0, 1, 2], frozenDepth: nil)
    XCTAssertEqual(model.classes.ids, [0, 1, 2])
    XCTAssertEqual(model.classes.name(of: 2), "c")
    XCTAssertThrowsError(try SpikingBackend.load(modelFile: path, classes: [4], frozenDepth: nil))

    // Naive strategy (no replay data needed): fine-tunes every layer.
    var settings = try ContinualSettings.preset("naive")
    try settings.set("epochs", "2")
    try settings.set("threads", "1")
    let learning = try SpikingBackend.prepared(modelFile: path, classes: [0, 1, 2], settings: settings, replayData: nil)
    XCTAssertThrowsError(
      try SpikingBackend.prepared(modelFile: path, classes: [0, 1, 2], settings: try ContinualSettings.preset("replay4ncl"), replayData: nil),
      "replay needs replay data")
    let job = LearningJob(newClasses: ClassMap([3: "d"]), samples: (0..<4).map { dense(3, $0) })
    var updates: [LearningUpdate] = []
    let learned = try ContinualBackend().learn(job, from: learning) { updates.append($0); return true }
    XCTAssertEqual(learned.version, 2)
    XCTAssertEqual(learned.classes.ids, [0, 1, 2, 3])
    XCTAssertEqual(updates.filter { $0.phase == "learn" }.map(\.epoch), [1, 2])
    let trained = try XCTUnwrap(learned as? SpikingClassifier)
    XCTAssertNotEqual(try trained.network.parameter("Wout"), try model.network.parameter("Wout"))
    XCTAssertThrowsError(try ContinualBackend().learn(job, from: learning) { _ in false }) { error in
      XCTAssertTrue(error is LearningCancelled)
    }
  }

  /// A resumed checkpoint takes this start's learning knobs; one out of range fails the start
  /// with a named error, not the first learning run.
  func testRuntimeKnobsAreValidatedWhenApplied() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.h5"
    try ModelFile.save(try smallNetwork(), classNames: ["a", "b", "c", "d"], to: URL(fileURLWithPath: path))
    let model = try SpikingBackend.prepared(
      modelFile: path, classes: [0, 1, 2], settings: try ContinualSettings.preset("naive"), replayData: nil)
    XCTAssertEqual(try model.applyingRuntimeKnobs([("epochs", "7")]).memory?.settings.learnEpochs, 7)
    XCTAssertThrowsError(try model.applyingRuntimeKnobs([("batch_size", "9223372036854775807")])) { error in
      XCTAssertEqual(error as? ContinualError, .invalidSetting(field: "batch_size", reason: "must be in 1...65536, got 9223372036854775807"))
    }
  }
}

