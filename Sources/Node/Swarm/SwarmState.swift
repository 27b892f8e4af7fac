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
  /// What a topic on the peer SUB is: a configured peer's heartbeat or replay chunk.
  enum PeerTopic: Equatable {
    case heartbeat(peer: String)
    case replay(peer: String)
  }
  /// The exact topics of the configured peers (a SUB subscription is a prefix: others arrive too).
  let peerTopics: [String: PeerTopic]
  /// Configured peers whose heartbeat arrived at least once (never more names than `swarm.peers`).
  var heardPeers: Set<String> = []
  /// (our id, their id) pairs of a kept class already logged, so a peer repeating its shard
  /// does not repeat the line; at most `keptIdsLogged` pairs are remembered.
  private var keptIds: Set<[Int]> = []
  static let keptIdsLogged = 1024
  /// Start-up snapshot request: the peer, when it was last sent, when to give up.
  var snapshotPeer: SwarmPeer?
  var snapshotSent = 0.0
  var snapshotDeadline = 0.0
  /// Bytes read from peers or dropped from partial shards since the heap was last trimmed, and
  /// when that was (`HeapTrim` after a burst, once the peer socket is quiet).
  var churnSinceTrim = 0
  var lastTrim = 0.0
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
    var topics: [String: PeerTopic] = [:]
    for peer in configuration.peers {
      let names = Topics(namespace: peer.name)
      topics[names.status] = .heartbeat(peer: peer.name)
      topics[names.replay] = .replay(peer: peer.name)
    }
    peerTopics = topics
  }

  /// True the first time a peer's higher id `theirs` for our class `ours` is seen (log it then).
  func noteKeptId(ours: Int, theirs: Int) -> Bool {
    guard keptIds.count < Self.keptIdsLogged else { return false }
    return keptIds.insert([ours, theirs]).inserted
  }
}
