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

  /// A swarm node serving a 3-class spiking model ("fox" is class 5), subscribed to a peer `p`
  /// whose PUB the test holds; `shard(id, name)` makes the peer's shard of fox's latents.
  private func startSwarmNode() throws -> (
    model: SpikingClassifier, store: ReplayStore, runtime: NodeRuntime, client: NodeClient, peer: ZMQSocket,
    shard: (Int, String) throws -> [[UInt8]]
  ) {
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

    let context = try ZMQContext()
    let peer = try ZMQSocket(context, type: .pub)
    try peer.bind("tcp://127.0.0.1:*")
    var configuration = loopbackConfiguration(directory)
    configuration.swarm.peers = [SwarmPeer(name: "p", endpoint: try peer.lastEndpoint)]
    let runtime = try NodeRuntime(configuration: configuration, model: model, learner: ContinualBackend(), loader: SpikingBackend())
    try runtime.start()
    self.runtime = runtime
    let client = try NodeClient(runtime)

    func shard(_ id: Int, _ name: String) throws -> [[UInt8]] {
      var theirs = try ReplayBuffer(
        codec: RawCodec(), depth: 1, timesteps: 8, units: 16, baseFingerprint: model.baseFingerprint)
      try theirs.add(contentsOf: try store.decoded(ofClass: 5).map { var s = $0; s.label = id; return s })
      let content = try ReplayShardContent(
        buffer: theirs, classes: ClassMap([id: name]), node: "p", modelVersion: 2, baseFingerprint: model.baseFingerprint)
      return try content.chunks(maxChunkBytes: 1 << 16).map { try $0.serializedBytes() }
    }
    return (model, store, runtime, client, peer, shard)
  }

  /// Sends `chunks` until the status counts one more `reason` than before (the peer's PUB may
  /// not be connected yet at the first send).
  private func send(_ chunks: [[UInt8]], from peer: ZMQSocket, until reason: String, _ client: NodeClient) throws {
    let deadline = Date().addingTimeInterval(10)
    while (try client.status().rejectedByReason.first { $0.reason == reason }?.count ?? 0) == 0 {
      guard Date() < deadline else { throw TestFailure("the node never counted \(reason) for the peer's shard") }
      for chunk in chunks { _ = try peer.send(topic: "p/replay", payload: chunk, dontWait: true) }
      usleep(20_000)
    }
  }

  func testAClassMovesToTheLowerIdAPeerGaveTheSameName() throws {
    let (model, store, runtime, client, peer, shard) = try startSwarmNode()

    // The peer's shard of "fox" under id 3 (and, first, under the higher id 7: ignored).
    let higher = try shard(7, "fox"), lower = try shard(3, "fox")
    try send(higher, from: peer, until: "shard_known_class", client)
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

  /// A peer's class name is kept and published like a teacher's: one over limits.max_name_bytes
  /// refuses the shard.
  func testAShardWithAnOverlongClassNameIsRefused() throws {
    let (_, _, _, client, peer, shard) = try startSwarmNode()
    try send(try shard(3, String(repeating: "x", count: 300)), from: peer, until: "shard_malformed", client)
    let status = try client.status()
    XCTAssertEqual(status.classes.map(\.id), [0, 1, 5])
    XCTAssertTrue(status.lastError.contains("class 3's name is longer than limits.max_name_bytes = 256"), status.lastError)
  }
}
