import Foundation
import Proto
import XCTest

@testable import Node

/// What a hostile swarm peer can make a node hold or log: heartbeats remember configured peers
/// only and their text is escaped, refusals go through the rate-limited rejection log, a shard
/// giving two classes one name is refused, and a snapshot reply over the limit never arrives.
final class SwarmBoundsTests: XCTestCase {
  /// A swarm node (centroid model, 3 classes) subscribed to peer `p`, whose PUB the test holds.
  private func startNode(_ configure: (inout NodeConfiguration) -> Void = { _ in }) throws -> (
    node: NodeRuntime, client: NodeClient, peer: ZMQSocket, log: CapturedLog
  ) {
    let context = try ZMQContext()
    let peer = try ZMQSocket(context, type: .pub)
    try peer.bind("tcp://127.0.0.1:*")
    var configuration = loopbackConfiguration()
    configuration.swarm.peers = [SwarmPeer(name: "p", endpoint: try peer.lastEndpoint)]
    configure(&configuration)
    let log = CapturedLog()
    let node = try NodeRuntime(
      configuration: configuration, model: try Synthetic.model(classes: 3), learner: CentroidBackend(),
      loader: CentroidBackend(), logger: log.logger)
    try startUntilTeardown(node, self)
    return (node, try NodeClient(node), peer, log)
  }

  /// Sends `message` until the node counts `reason` (the PUB may not be connected yet).
  private func send(
    _ message: @autoclosure () throws -> [UInt8], topic: String, from peer: ZMQSocket, until reason: String, _ client: NodeClient
  ) throws {
    let deadline = Date().addingTimeInterval(10)
    while (try client.status().rejectedByReason.first { $0.reason == reason }?.count ?? 0) == 0 {
      guard Date() < deadline else { throw TestFailure("the node never counted \(reason)") }
      _ = try peer.send(topic: topic, payload: try message(), dontWait: true)
      usleep(20_000)
    }
  }

  private func count(_ status: R4ncl_V1_NodeStatus, _ reason: String) -> UInt64 {
    status.rejectedByReason.first { $0.reason == reason }?.count ?? 0
  }

  /// 100 heartbeats naming 100 different 16 KiB nodes with a forged log line inside: one "is up"
  /// line for the configured peer, escaped and short; `p/statusX` is not a heartbeat.
  func testHeartbeatsRememberOnlyConfiguredPeersAndTheirTextIsEscaped() throws {
    let (_, client, peer, log) = try startNode()
    func hello(_ i: Int) throws -> [UInt8] {
      var status = R4ncl_V1_NodeStatus()
      status.node = "peer\(i)" + String(repeating: "N", count: 16384) + "\nFAKE critical: spoofed"
      status.baseFingerprint = "x\nFAKE critical: spoofed"
      return try status.serializedBytes()
    }
    try send(try hello(0), topic: "p/statusX", from: peer, until: "unknown_topic", client)
    let deadline = Date().addingTimeInterval(10)
    while !log.messages.contains(where: { $0.contains("peer p is up") }) {
      guard Date() < deadline else { return XCTFail("no heartbeat logged: \(log.messages)") }
      _ = try peer.send(topic: "p/status", payload: try hello(0), dontWait: true)
      usleep(20_000)
    }
    for i in 1...100 { _ = try peer.send(topic: "p/status", payload: try hello(i)) }
    // A refused message after the flood: once it is counted, the heartbeats before it were read.
    _ = try peer.send(topic: "p/replay", payload: [0xFF, 0xFF])
    try client.waitForStatus { self.count($0, "not_protobuf") >= 1 }

    let up = log.messages.filter { $0.contains("is up") }
    XCTAssertEqual(up.count, 1, "\(up.map { $0.prefix(200) })")
    XCTAssertTrue(up[0].contains("(it calls itself \"peer0NNN"), up[0])
    XCTAssertLessThan(up[0].utf8.count, 400)
    XCTAssertFalse(log.messages.contains { $0.contains("\n") }, "a peer's newline reached the log")
  }

  /// 100 messages on `p/replay` + 4 KiB and 50 chunks that do not decode: each is counted, the
  /// log has one line per reason (the rest go into the periodic summary), topic quoted short.
  func testSwarmRefusalsAreCountedAndSummarisedNotLoggedOneByOne() throws {
    let (_, client, peer, log) = try startNode()
    let topic = "p/replay" + String(repeating: "X", count: 4096) + "\nFAKE critical: spoofed"
    try send([], topic: topic, from: peer, until: "unknown_topic", client)
    // A message of another reason after the warm-up: once it is counted, every warm-up message
    // sent before it is too (one peer's messages arrive in order).
    _ = try peer.send(topic: "p/replay", payload: [0xFF, 0xFF, 0xFF])
    let settled = try client.waitForStatus { self.count($0, "not_protobuf") == 1 }
    let before = count(settled, "unknown_topic")
    for _ in 0..<100 { _ = try peer.send(topic: topic, payload: []) }
    for _ in 0..<50 { _ = try peer.send(topic: "p/replay", payload: [0xFF, 0xFF, 0xFF]) }
    let status = try client.waitForStatus { self.count($0, "unknown_topic") == before + 100 && self.count($0, "not_protobuf") == 51 }
    XCTAssertEqual(status.state, .serving)

    let refusals = log.messages.filter { $0.contains("rejected a peer message") }
    XCTAssertEqual(refusals.count, 2, "\(refusals.map { $0.prefix(200) })")
    let unknown = try XCTUnwrap(refusals.first { $0.contains("unknown_topic") })
    XCTAssertTrue(unknown.contains("(topic \"p/replayXXX"), unknown)
    XCTAssertLessThan(unknown.utf8.count, 300)
    XCTAssertFalse(log.messages.contains { $0.contains("\n") }, "a peer's newline reached the log")
  }

  /// A shard whose class list names ids 3 and 4 both "dup" is refused and counted; the node
  /// learns neither.
  func testAShardGivingTwoClassesOneNameIsRefused() throws {
    let (node, client, peer, _) = try startNode()
    let shard = ReplayShardContent(
      node: "p", shardID: "p:v2:3+4", classes: ClassMap([3: "dup", 4: "dup"]), depth: 1, timesteps: 8, width: 16,
      codec: "raw", baseFingerprint: node.model.current.baseFingerprint, modelVersion: 2, samples: [[1, 2], [3, 4]],
      labels: [3, 4])
    let chunk = try XCTUnwrap(shard.chunks(maxChunkBytes: 1 << 16).first)
    try send(try chunk.serializedBytes(), topic: "p/replay", from: peer, until: "shard_malformed", client)
    let status = try client.status()
    XCTAssertTrue(status.lastError.contains("class name \"dup\" is given to two ids"), status.lastError)
    XCTAssertEqual(status.classes.map(\.id), [0, 1, 2])
  }

  /// A snapshot reply over `swarm.max_snapshot_bytes` is refused by ZeroMQ from its size header
  /// (never held) and counted as `snapshot_dropped`; the next attempt's small reply is taken.
  func testASnapshotReplyOverTheLimitIsDroppedAndCounted() throws {
    let context = try ZMQContext()
    let server = try ZMQSocket(context, type: .rep)
    try server.bind("tcp://127.0.0.1:*")
    try server.setReceiveTimeout(10_000)
    let (node, client, _, log) = try startNode {
      $0.swarm.snapshotFrom = SwarmPeer(name: "s", endpoint: try! server.lastEndpoint)
      $0.swarm.maxSnapshotBytes = 65536
    }
    XCTAssertNotNil(try server.receive(), "the node never asked for a snapshot")
    _ = try server.send([[UInt8](repeating: 0x41, count: 1 << 20)])
    let dropped = try client.waitForStatus { self.count($0, "snapshot_dropped") >= 1 }
    XCTAssertTrue(dropped.lastError.contains("swarm.max_snapshot_bytes = 65536"), dropped.lastError)
    XCTAssertEqual(dropped.state, .serving)

    XCTAssertNotNil(try server.receive(), "the node did not ask again")
    var reply = R4ncl_V1_ControlReply()
    reply.ok = true
    reply.snapshot.checkpoint.baseFingerprint = node.model.current.baseFingerprint
    _ = try server.send([try reply.serializedBytes()])
    let deadline = Date().addingTimeInterval(10)
    while !log.messages.contains(where: { $0.contains("snapshot from s@") }) {
      guard Date() < deadline else { return XCTFail("the small reply was not taken: \(log.messages)") }
      usleep(20_000)
    }
    server.close()
  }
}
