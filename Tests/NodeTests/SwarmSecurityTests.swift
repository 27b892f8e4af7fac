import Foundation
import Proto
import XCTest

@testable import Node

/// CURVE on the swarm links: a peer with an allowed key exchanges messages with the node; a
/// peer with an unknown key or without keys gets nothing and gets nothing accepted, and every
/// refusal is counted; a publisher that is not the configured peer feeds the node nothing.
final class SwarmSecurityTests: XCTestCase {
  var directory = ""
  var runtime: NodeRuntime?

  override func setUpWithError() throws {
    guard ZMQCurve.isAvailable else { throw XCTSkip("libzmq without CURVE") }
    directory = try temporaryDirectory()
  }

  override func tearDownWithError() throws {
    if let runtime {
      runtime.requestShutdown()
      XCTAssertTrue(runtime.waitUntilStopped(timeout: 10))
    }
    runtime = nil
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// (public, secret) of a key pair written by keygen into `dir`.
  func keys(_ name: String, in dir: String) throws -> (publicKey: String, secretKey: String) {
    let paths = try CurveKeyFiles.generate(directory: dir, name: name)
    return (try CurveKeyFiles.read(paths.publicPath), try CurveKeyFiles.read(paths.secretPath))
  }

  /// Sends `frames` on `socket` until `condition` holds (the slow-joiner handshake), bounded.
  func repeatSend(_ socket: ZMQSocket, _ frames: [[UInt8]], timeout: Double = 10, until condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
      guard Date() < deadline else { throw TestFailure("condition not reached in \(timeout) s") }
      _ = try socket.send(frames, dontWait: true)
      usleep(20_000)
    }
  }

  func testOnlyAllowedKeysGetThrough() throws {
    let allowed = directory + "/allowed", secrets = directory + "/secrets"
    let node = try keys("node", in: secrets)
    let peer = try keys("a", in: secrets)
    let stranger = try keys("stranger", in: secrets)
    try FileManager.default.createDirectory(atPath: allowed, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: secrets + "/a.key", toPath: allowed + "/a.key")

    // The real peer "a" (a CURVE server with a's key) and an impostor at another endpoint
    // that the node is also told is "a": it cannot prove a's key.
    let context = try ZMQContext()
    let real = try ZMQSocket(context, type: .pub)
    try real.setCurveServer(secretKey: peer.secretKey)
    try real.bind("tcp://127.0.0.1:*")
    let impostor = try ZMQSocket(context, type: .pub)
    try impostor.setCurveServer(secretKey: stranger.secretKey)
    try impostor.bind("tcp://127.0.0.1:*")

    var configuration = loopbackConfiguration(directory)
    configuration.swarm.endpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:*")]
    configuration.swarm.controlEndpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:*")]
    configuration.swarm.peers = [
      SwarmPeer(name: "a", endpoint: try real.lastEndpoint), SwarmPeer(name: "a", endpoint: try impostor.lastEndpoint),
    ]
    configuration.swarm.secretKeyFile = secrets + "/node.key_secret"
    configuration.swarm.allowedKeysDirectory = allowed
    let runtime = try NodeRuntime(
      configuration: configuration, model: try Synthetic.model(classes: 2), learner: CentroidBackend(), loader: CentroidBackend())
    try runtime.start()
    self.runtime = runtime
    let local = try NodeClient(runtime)
    XCTAssertTrue(try local.status().secure)
    let swarmControl = try XCTUnwrap(runtime.endpoints["swarm_control"]?.first)
    let swarmOutput = try XCTUnwrap(runtime.endpoints["swarm"]?.first)

    // Allowed key: a control round trip and the heartbeat on the swarm PUB.
    let friend = try ZMQSocket(context, type: .req)
    try friend.setCurveClient(publicKey: peer.publicKey, secretKey: peer.secretKey, serverKey: node.publicKey)
    try friend.setReceiveTimeout(5000)
    try friend.connect(swarmControl)
    var request = R4ncl_V1_ControlRequest()
    request.id = 7
    request.status = R4ncl_V1_GetStatus()
    XCTAssertTrue(try friend.send([try request.serializedBytes()]))
    let reply = try R4ncl_V1_ControlReply(serializedBytes: try XCTUnwrap(try friend.receive())[0])
    XCTAssertEqual(reply.id, 7)
    XCTAssertTrue(reply.status.secure)
    let listener = try ZMQSocket(context, type: .sub)
    try listener.setCurveClient(publicKey: peer.publicKey, secretKey: peer.secretKey, serverKey: node.publicKey)
    try listener.setReceiveTimeout(5000)
    try listener.subscribe("")
    try listener.connect(swarmOutput)
    XCTAssertEqual(try listener.receive().map { String(decoding: $0[0], as: UTF8.self) }, "test/status")
    XCTAssertEqual(try local.status().authRefusals, 0)

    // Unknown key: refused by ZAP, no reply, counted.
    let unknown = try ZMQSocket(context, type: .req)
    try unknown.setCurveClient(publicKey: stranger.publicKey, secretKey: stranger.secretKey, serverKey: node.publicKey)
    try unknown.setReceiveTimeout(300)
    try unknown.connect(swarmControl)
    _ = try unknown.send([try request.serializedBytes()], dontWait: true)
    try local.waitForStatus { $0.authRefusals >= 1 }
    XCTAssertNil(try unknown.receive(), "a stranger got a reply")
    let eavesdropper = try ZMQSocket(context, type: .sub)
    try eavesdropper.setCurveClient(publicKey: stranger.publicKey, secretKey: stranger.secretKey, serverKey: node.publicKey)
    try eavesdropper.subscribe("")
    try eavesdropper.setReceiveTimeout(300)
    try eavesdropper.connect(swarmOutput)
    try local.waitForStatus { $0.authRefusals >= 2 }
    XCTAssertNil(try eavesdropper.receive(), "a stranger received swarm traffic")

    // No keys at all: the handshake fails (NULL against CURVE), counted by the monitor.
    let plain = try ZMQSocket(context, type: .req)
    try plain.setReceiveTimeout(300)
    try plain.connect(swarmControl)
    _ = try plain.send([try request.serializedBytes()], dontWait: true)
    try local.waitForStatus { $0.authRefusals >= 3 }
    XCTAssertNil(try plain.receive(), "a peer without keys got a reply")

    // Inbound: the real peer's chunks reach the node (counted as malformed: chunk_count 0),
    // the impostor's never do although the node subscribed to both endpoints.
    var broken = R4ncl_V1_ReplayShard()
    broken.node = "a"
    broken.shardID = "probe"
    let impostorChunk = try broken.serializedBytes() + [0xFF, 0xFF]  // would count as not_protobuf
    try repeatSend(real, [Array("a/replay".utf8), try broken.serializedBytes()]) {
      _ = try impostor.send([Array("a/replay".utf8), impostorChunk], dontWait: true)
      return (try local.status().rejectedByReason.first { $0.reason == "shard_malformed" }?.count ?? 0) >= 3
    }
    let status = try local.status()
    XCTAssertNil(status.rejectedByReason.first { $0.reason == RejectionReason.notProtobuf.rawValue }, "\(status.rejectedByReason)")
    XCTAssertTrue(status.secure)
  }

  func testWithoutKeysTheNodeSaysItRunsInTheClear() throws {
    var configuration = loopbackConfiguration(directory)
    configuration.swarm.endpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:*")]
    let runtime = try NodeRuntime(
      configuration: configuration, model: try Synthetic.model(classes: 2), learner: CentroidBackend(), loader: CentroidBackend())
    try runtime.start()
    self.runtime = runtime
    let status = try NodeClient(runtime).status()
    XCTAssertFalse(status.secure)
    XCTAssertEqual(status.authRefusals, 0)
  }
}
