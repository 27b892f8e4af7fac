import Foundation
import Learner
import Proto

/// What the I/O thread keeps about the swarm between loop turns.
final class SwarmState {
  let configuration: SwarmConfiguration
  let sockets: SwarmSockets
  /// Poller indices of the peer SUB and the swarm control REP (nil when absent).
  var peersIndex: Int?
  var controlIndex: Int?
  var assembler: ShardAssembler
  /// Complete, checked shards waiting for the learning worker, with the classes to learn.
  var pending: [(shard: ReplayShardContent, classes: ClassMap, latents: [LatentSample])] = []
  /// Classes to move to the lower id a peer gave the same name (done when the worker is idle).
  var pendingMoves: [(from: Int, to: Int, peer: String)] = []
  /// Classes being learned from a peer's shard right now.
  var learningFromPeer: ClassMap?
  /// Chunks of the shards this node published, newest per shard id (served in snapshots).
  var published: [(shardID: String, chunks: [R4ncl_V1_ReplayShard])] = []
  /// Model version and classes at the last check for newly learned classes.
  var seenVersion: UInt64
  var seenClasses: ClassMap
  var lastHeartbeat = 0.0
  /// Peers whose heartbeat arrived at least once.
  var heardPeers: Set<String> = []
  /// Start-up snapshot request: the peer, when it was last sent, when to give up.
  var snapshotPeer: SwarmPeer?
  var snapshotSent = 0.0
  var snapshotDeadline = 0.0
  /// Totals for the log and the tests: bytes of complete shards received and published.
  var shardBytesReceived = 0
  var shardBytesPublished = 0

  init(configuration: SwarmConfiguration, sockets: SwarmSockets, version: UInt64, classes: ClassMap) {
    self.configuration = configuration
    self.sockets = sockets
    self.assembler = ShardAssembler(
      maxShardBytes: configuration.maxShardBytes, timeout: configuration.shardTimeout,
      maxPendingShards: configuration.maxPendingShards, maxPendingBytes: configuration.maxPendingBytes)
    self.seenVersion = version
    self.seenClasses = classes
  }
}
