import Foundation
import Logging

/// The swarm-facing sockets of a node, in the node's ZeroMQ context and owned by its I/O
/// thread: a PUB for shards and heartbeats, a REP for peers' snapshot requests, a SUB on the
/// peers' shards and, at start-up, a REQ asking a peer for a snapshot. With CURVE keys the
/// bound sockets are CURVE servers guarded by the ZAP handler, and the connecting ones are
/// CURVE clients that only talk to peers whose public key is in the allowed directory.
final class SwarmSockets {
  /// CURVE material when security is on.
  struct Keys {
    var publicKey: String
    var secretKey: String
    /// Allowed peers' public keys by name.
    var allowed: [String: String]
  }

  let context: ZMQContext
  let keys: Keys?
  let zap: ZAPHandler?
  var publisher: ZMQSocket?
  var control: ZMQSocket?
  var peers: ZMQSocket?
  var snapshot: ZMQSocket?
  /// Reads the snapshot REQ's monitor: a dropped connection before the reply came.
  private var snapshotMonitor: ZMQSocket?
  /// Endpoints as attached, by name ("swarm", "swarm_control").
  var endpoints: [String: [String]] = [:]
  private let maxMessageBytes: Int64
  /// Largest snapshot reply (`swarm.max_snapshot_bytes`): ZeroMQ refuses a bigger one from its
  /// size header, before holding it, and closes the connection.
  private let maxSnapshotBytes: Int64

  init(context: ZMQContext, configuration: SwarmConfiguration, maxMessageBytes: Int, logger: Logger) throws {
    self.context = context
    self.maxMessageBytes = Int64(maxMessageBytes) + 65536
    self.maxSnapshotBytes = Int64(configuration.maxSnapshotBytes)
    if configuration.isSecure {
      guard ZMQCurve.isAvailable else { throw SwarmError.curveUnavailable }
      let secret = try CurveKeyFiles.read(configuration.secretKeyFile)
      let allowed = try CurveKeyFiles.allowed(directory: configuration.allowedKeysDirectory)
      keys = Keys(publicKey: try ZMQCurve.publicKey(fromSecret: secret), secretKey: secret, allowed: allowed)
      // The handler must be bound before any CURVE server socket accepts a connection.
      zap = try ZAPHandler(context: context, allowed: allowed, logger: logger)
    } else {
      keys = nil
      zap = nil
    }
    if !configuration.endpoints.isEmpty {
      let socket = try server(.pub, "swarm", configuration.endpoints)
      publisher = socket
    }
    if !configuration.controlEndpoints.isEmpty {
      control = try server(.rep, "swarm_control", configuration.controlEndpoints)
    }
    if !configuration.peers.isEmpty {
      let socket = try ZMQSocket(context, type: .sub)
      try socket.setMaxMessageSize(self.maxMessageBytes)
      try socket.setReceiveHighWaterMark(100_000)
      for peer in configuration.peers {
        try secureClient(socket, peer: peer)
        try socket.subscribe(Topics(namespace: peer.name).replay)
        try socket.subscribe(Topics(namespace: peer.name).status)
        try socket.connect(peer.endpoint)
      }
      peers = socket
    }
    zap?.start()
  }

  /// A bound (or connected) socket that is a CURVE server when keys are set.
  private func server(_ type: ZMQSocketType, _ name: String, _ specs: [EndpointSpec]) throws -> ZMQSocket {
    let socket = try ZMQSocket(context, type: type)
    try socket.setMaxMessageSize(maxMessageBytes)
    if type == .pub { try socket.setSendHighWaterMark(100_000) }
    if let keys, let zap {
      try socket.setZAPDomain("r4ncl")
      try socket.setCurveServer(secretKey: keys.secretKey)
      try zap.watch(socket, name: name)
    }
    for spec in specs {
      try spec.attach(socket)
      endpoints[name, default: []].append(spec.mode == .bind ? try socket.lastEndpoint : spec.endpoint)
    }
    return socket
  }

  /// Makes `socket`'s next connection a CURVE client of `peer` (its key from the allowlist).
  func secureClient(_ socket: ZMQSocket, peer: SwarmPeer) throws {
    guard let keys else { return }
    guard let serverKey = keys.allowed[peer.name] else {
      throw SwarmError.badParameter(
        key: "swarm.peers", reason: "no public key \(peer.name).key for peer \(peer) in security.allowed_keys")
    }
    try socket.setCurveClient(publicKey: keys.publicKey, secretKey: keys.secretKey, serverKey: serverKey)
  }

  /// A fresh REQ socket to `peer`'s swarm control (closing any previous one), its replies
  /// bounded by `swarm.max_snapshot_bytes` and its connection watched (`snapshotDropped`).
  func openSnapshot(_ peer: SwarmPeer) throws -> ZMQSocket {
    closeSnapshot()
    let socket = try ZMQSocket(context, type: .req)
    try socket.setMaxMessageSize(maxSnapshotBytes)
    let endpoint = "inproc://r4ncl-snapshot-monitor-\(UInt32.random(in: 0...UInt32.max))"
    try socket.monitor(endpoint, events: .disconnected)
    let monitor = try ZMQSocket(context, type: .pair)
    try monitor.connect(endpoint)
    snapshotMonitor = monitor
    try secureClient(socket, peer: peer)
    try socket.connect(peer.endpoint)
    snapshot = socket
    return socket
  }

  /// True when the snapshot REQ's connection closed since the last call (no reply will come on
  /// it: the peer hung up or its reply was over `swarm.max_snapshot_bytes`).
  func snapshotDropped() throws -> Bool {
    guard let monitor = snapshotMonitor else { return false }
    var dropped = false
    while let frames = try monitor.receive(dontWait: true) {
      if ZMQSocket.monitorEvent(from: frames)?.event.contains(.disconnected) == true { dropped = true }
    }
    return dropped
  }

  /// Closes the snapshot REQ and its monitor.
  func closeSnapshot() {
    snapshot?.close()
    snapshotMonitor?.close()
    snapshot = nil
    snapshotMonitor = nil
  }

  /// Closes every socket and stops the ZAP handler (before the context terminates).
  func close() {
    for socket in [publisher, control, peers] { socket?.close() }
    closeSnapshot()
    zap?.stop()
  }
}
