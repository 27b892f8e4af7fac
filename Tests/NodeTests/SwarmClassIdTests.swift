import Foundation
import Learner
import Proto
import XCTest

@testable import Node

/// Class ids agreed by name between swarm nodes: a node that learned "fox" under a higher id
/// than a peer moves it (readout column, class map, replay latents) to the peer's lower id;
/// a peer's higher id for a class this node holds lower changes nothing.
final class SwarmClassIdTests: XCTestCase {
  var runtime: NodeRuntime?
  var directory = ""

  override func tearDownWithError() throws {
    if let runtime {
      runtime.requestShutdown()
      XCTAssertTrue(runtime.waitUntilStopped(timeout: 10))
    }
    runtime = nil
    if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
  }

  func testAClassMovesToTheLowerIdAPeerGaveTheSameName() throws {
    directory = try temporaryDirectory()
    let config = NetworkConfig(sizes: [700, 16, 12, 8], timesteps: 8, maxTime: 0.6, thresholds: [0.05, 0.05], seed: 9)
    let samples = [0, 1, 5].flatMap { k in (0..<3).map { Synthetic.sample(class: k, seed: 40 + $0) } }
    var settings = try ContinualSettings.preset("replay4ncl")
    for (k, v) in [("epochs", "1"), ("replay_per_class", "3"), ("depth", "1"), ("codec", "raw"), ("threads", "1")] { try settings.set(k, v) }
    let session = try ContinualSession.prepare(
      pretrained: try Network(config: config), classes: [0, 1, 5], settings: settings,
      replayData: SpikeDataset(samples: samples, channelCount: 700, classNames: []))
    let model = SpikingClassifier(
      network: session.network, classes: ClassMap([0: "c0", 1: "c1", 5: "fox"]), version: 1, memory: ContinualMemory(session))
    let store = try XCTUnwrap(session.store)
    XCTAssertEqual(model.frozenDepth, 1)
    let learner = ContinualBackend()

    let context = try ZMQContext()
    let peer = try ZMQSocket(context, type: .pub)
    try peer.bind("tcp://127.0.0.1:*")
    var configuration = loopbackConfiguration(directory)
    configuration.swarm.peers = [SwarmPeer(name: "p", endpoint: try peer.lastEndpoint)]
    let runtime = try NodeRuntime(configuration: configuration, model: model, learner: learner, loader: SpikingBackend())
    try runtime.start()
    self.runtime = runtime
    let client = try NodeClient(runtime)

    // The peer's shard of "fox" under id 3 (and, first, under the higher id 7: ignored).
    func shard(_ id: Int) throws -> [[UInt8]] {
      var theirs = try ReplayBuffer(
        codec: RawCodec(), depth: 1, timesteps: 8, units: 16, baseFingerprint: model.baseFingerprint)
      try theirs.add(contentsOf: try store.decoded(ofClass: 5).map { var s = $0; s.label = id; return s })
      let content = try ReplayShardContent(
        buffer: theirs, classes: ClassMap([id: "fox"]), node: "p", modelVersion: 2, baseFingerprint: model.baseFingerprint)
      return try content.chunks(maxChunkBytes: 1 << 16).map { try $0.serializedBytes() }
    }
    let higher = try shard(7), lower = try shard(3)
    let deadline = Date().addingTimeInterval(10)
    while (try client.status().rejectedByReason.first { $0.reason == "shard_known_class" }?.count ?? 0) == 0 {
      guard Date() < deadline else { throw TestFailure("the node never received the peer's shard") }
      for chunk in higher { _ = try peer.send(topic: "p/replay", payload: chunk, dontWait: true) }
      usleep(20_000)
    }
    XCTAssertEqual(try client.status().classes.map(\.id), [0, 1, 5], "a higher peer id changes nothing")
    for chunk in lower { _ = try peer.send(topic: "p/replay", payload: chunk, dontWait: true) }
    let status = try client.waitForStatus { $0.classes.contains { $0.id == 3 } }
    XCTAssertEqual(status.classes.map(\.id), [0, 1, 3])
    XCTAssertEqual(status.classes.first { $0.id == 3 }?.name, "fox")
    XCTAssertEqual(status.modelVersion, 2)
    // The replay latents moved with the class (the memory is in the served model).
    let served = try XCTUnwrap(runtime.model.current as? SpikingClassifier)
    let movedStore = try XCTUnwrap(served.memory?.store)
    XCTAssertEqual(movedStore.sampleCount(ofClass: 3), 3)
    XCTAssertEqual(movedStore.sampleCount(ofClass: 5), 0)
    XCTAssertEqual(try movedStore.decoded(ofClass: 3).map(\.values), try store.decoded(ofClass: 5).map(\.values))
    XCTAssertEqual(try movedStore.decoded(ofClass: 3).map(\.label), [3, 3, 3])
    XCTAssertEqual(served.session?.classes, [0, 1, 3])
    // The moved class scores exactly as before, now under id 3.
    let sample = Synthetic.sample(class: 5, seed: 99)
    let before = model.scores(sample)
    let reply = try client.request { $0.snapshot = R4ncl_V1_SnapshotRequest() }
    let moved = try XCTUnwrap(try SpikingBackend().load(reply.snapshot.checkpoint) as? SpikingClassifier)
    XCTAssertEqual(moved.scores(sample)[3], before[5])
    XCTAssertEqual(moved.scores(sample)[0], before[0])
  }
}
