import Foundation
import Proto
import Storage
import SwiftProtobuf

/// Reassembles replay shards from their chunks. A shard is complete only when every chunk
/// index arrived with the same metadata, the bytes add up to `total_bytes` and the CRC-32 of
/// the concatenated payload matches; anything else is refused with a reason, and a shard
/// whose chunks stop arriving expires after `timeout` seconds. Only complete shards come out,
/// so a torn or corrupted shard can never be learned from.
///
/// What peers can make it hold is bounded: one shard by `maxShardBytes`, all partial shards
/// together by `maxPendingShards` and `maxPendingBytes` (beyond them a chunk is refused as
/// `shard_pending_limit`), node names and shard ids by `maxIdentifierBytes`. Used by the I/O
/// thread only.
public struct ShardAssembler {
  /// What one chunk did.
  public enum Outcome: Equatable {
    /// Stored; more chunks are needed.
    case partial
    /// The last missing chunk: the whole, verified shard.
    case complete(ReplayShardContent)
    /// A chunk of a shard already completed (or a repeated chunk): ignored.
    case duplicate
    /// Refused (and the partial shard discarded); `reason` is the counter name.
    case refused(reason: String, detail: String)
  }

  private struct Partial {
    /// The shard's metadata (from chunk 0 once it arrived), payload cleared.
    var first: R4ncl_V1_ReplayShard
    var parts: [Int: Data] = [:]
    /// Payload bytes received.
    var bytes = 0
    /// Bytes held for the shard: payload plus metadata (counted against `maxPendingBytes`).
    var held = 0
    var started: Double
  }

  /// Longest node name or shard id, bytes: they key the partial and completed shards.
  public static let maxIdentifierBytes = 4096
  /// Most chunks one shard may have.
  public var maxChunks = 65_536
  /// Largest reassembled payload, bytes.
  public var maxShardBytes: Int
  /// Most partial shards at once.
  public var maxPendingShards: Int
  /// Most bytes all partial shards hold together.
  public var maxPendingBytes: Int
  /// Seconds a partial shard waits for its missing chunks.
  public var timeout: Double
  private var partial: [String: Partial] = [:]
  private var completed: [String] = []
  private var completedSet: Set<String> = []
  /// Sum of the partial shards' `held` bytes.
  public private(set) var pendingBytes = 0

  /// `maxPendingBytes` defaults to `maxShardBytes` and a quarter for the shard's metadata.
  public init(maxShardBytes: Int, timeout: Double, maxPendingShards: Int = 64, maxPendingBytes: Int? = nil) {
    self.maxShardBytes = maxShardBytes
    self.timeout = timeout
    self.maxPendingShards = maxPendingShards
    self.maxPendingBytes = maxPendingBytes ?? Self.defaultPendingBytes(maxShardBytes: maxShardBytes)
  }

  /// One largest shard and room for its per-sample lengths and labels.
  public static func defaultPendingBytes(maxShardBytes: Int) -> Int { maxShardBytes + maxShardBytes / 4 }

  /// Shards waiting for chunks.
  public var pendingCount: Int { partial.count }

  /// Takes one chunk received at `now` (monotonic seconds).
  public mutating func add(_ chunk: R4ncl_V1_ReplayShard, now: Double) -> Outcome {
    let id = WireText.line(chunk.shardID)
    guard chunk.node.utf8.count <= Self.maxIdentifierBytes, chunk.shardID.utf8.count <= Self.maxIdentifierBytes else {
      return .refused(reason: "shard_malformed", detail: "\(id): node name or shard id longer than \(Self.maxIdentifierBytes) bytes")
    }
    let key = chunk.node + "\u{0}" + chunk.shardID
    if completedSet.contains(key) { return .duplicate }
    let count = Int(chunk.chunkCount), index = Int(chunk.chunkIndex)
    guard !chunk.shardID.isEmpty, count >= 1, count <= maxChunks, index < count else {
      return refuse(key, "shard_malformed", "\(id): chunk \(index) of \(count)")
    }
    guard chunk.totalBytes <= UInt64(maxShardBytes) else {
      return refuse(key, "shard_oversized", "\(id): \(chunk.totalBytes) bytes > \(maxShardBytes)")
    }
    let known = partial[key]
    if known == nil {
      // Every chunk carries the class list (`sameShard` holds them to it): checked once.
      if let repeated = Self.repeatedClass(chunk.classes) {
        return .refused(reason: "shard_malformed", detail: "\(id): \(repeated)")
      }
      guard partial.count < maxPendingShards else {
        return .refused(
          reason: "shard_pending_limit",
          detail: "\(id): \(partial.count) partial shards already wait for chunks (swarm.max_pending_shards)")
      }
    }
    var entry = known ?? Partial(first: Self.metadata(chunk), started: now)
    let kept = index == 0 ? Self.metadata(chunk) : entry.first
    guard Self.sameShard(entry.first, chunk) else {
      return refuse(key, "shard_torn", "\(id): chunk \(index) disagrees with the shard's other chunks")
    }
    if entry.parts[index] != nil { return .duplicate }
    guard UInt64(entry.bytes + chunk.payload.count) <= chunk.totalBytes else {
      return refuse(key, "shard_torn", "\(id): chunks hold more than total_bytes \(chunk.totalBytes)")
    }
    let cost = chunk.payload.count + Self.metadataBytes(kept) - (known == nil ? 0 : Self.metadataBytes(entry.first))
    // The only partial shard is always taken: one shard of max_shard_bytes must fit even with
    // its sample metadata (payload is bounded by max_shard_bytes above).
    let alone = partial.isEmpty || (known != nil && partial.count == 1)
    guard alone || pendingBytes + cost <= maxPendingBytes else {
      return refuse(
        key, "shard_pending_limit",
        "\(id): partial shards would hold \(pendingBytes + cost) bytes > swarm.max_pending_bytes = \(maxPendingBytes)")
    }
    entry.first = kept
    entry.parts[index] = chunk.payload
    entry.bytes += chunk.payload.count
    entry.held += cost
    pendingBytes += cost
    partial[key] = entry
    guard entry.parts.count == count else { return .partial }
    discard(key)
    var payload = Data(capacity: entry.bytes)
    for i in 0..<count { payload.append(entry.parts[i]!) }
    guard payload.count == Int(chunk.totalBytes) else {
      return refuse(key, "shard_torn", "\(id): \(payload.count) bytes, total_bytes says \(chunk.totalBytes)")
    }
    guard CRC32.checksum(payload) == chunk.payloadCrc32 else {
      return refuse(key, "shard_crc_mismatch", "\(id): payload CRC-32 differs from the publisher's")
    }
    let head = entry.first
    let lengths = head.sampleBytes.map(Int.init)
    guard lengths.count == Int(head.sampleCount), head.sampleLabels.count == lengths.count,
      lengths.reduce(0, +) == payload.count
    else {
      return refuse(key, "shard_malformed", "\(id): sample lengths/labels do not split the payload")
    }
    var samples: [[UInt8]] = []
    samples.reserveCapacity(lengths.count)
    var offset = 0
    for length in lengths {
      samples.append([UInt8](payload[offset..<offset + length]))
      offset += length
    }
    remember(key)
    return .complete(
      ReplayShardContent(
        node: head.node, shardID: head.shardID, classes: ClassMap(entries: head.classes), depth: Int(head.depth),
        timesteps: Int(head.timesteps), width: Int(head.width), codec: head.codec, baseFingerprint: head.baseFingerprint,
        modelVersion: head.modelVersion, samples: samples, labels: head.sampleLabels.map(Int.init)))
  }

  /// Drops partial shards older than `timeout`; returns their ids (each counts as incomplete).
  public mutating func expire(now: Double) -> [String] {
    let old = partial.filter { now - $0.value.started > timeout }
    for key in old.keys { discard(key) }
    return old.values.map {
      "\(WireText.line($0.first.node))/\(WireText.line($0.first.shardID)) (\($0.parts.count) of \($0.first.chunkCount) chunks)"
    }.sorted()
  }

  /// What a partial shard keeps of a chunk besides its payload: the shard's metadata; the
  /// per-sample lengths and labels only from chunk 0 (which carries them); no readout.
  private static func metadata(_ chunk: R4ncl_V1_ReplayShard) -> R4ncl_V1_ReplayShard {
    var head = chunk
    head.payload = Data()
    head.readout = []
    head.unknownFields = SwiftProtobuf.UnknownStorage()
    if chunk.chunkIndex != 0 {
      head.sampleBytes = []
      head.sampleLabels = []
    }
    return head
  }

  /// What a chunk's metadata costs to keep, bytes (a bound, not an exact heap size).
  private static func metadataBytes(_ chunk: R4ncl_V1_ReplayShard) -> Int {
    256 + chunk.node.utf8.count + chunk.shardID.utf8.count + chunk.codec.utf8.count + chunk.baseFingerprint.utf8.count
      + 8 * (chunk.sampleBytes.count + chunk.sampleLabels.count)
      + chunk.classes.reduce(0) { $0 + 32 + $1.name.utf8.count }
  }

  /// Why a shard's class list is unusable: an id or a name given twice (class names are unique
  /// within a node, and a map keeps one name per id); nil when every entry is distinct.
  static func repeatedClass(_ classes: [R4ncl_V1_ClassEntry]) -> String? {
    var ids = Set<Int32>(), names = Set<String>()
    for entry in classes {
      guard ids.insert(entry.id).inserted else { return "class id \(entry.id) appears twice in its class list" }
      guard names.insert(entry.name).inserted else {
        return "class name \"\(WireText.line(entry.name))\" is given to two ids in its class list"
      }
    }
    return nil
  }

  /// Chunks of one shard must agree on everything but their index and payload.
  static func sameShard(_ a: R4ncl_V1_ReplayShard, _ b: R4ncl_V1_ReplayShard) -> Bool {
    a.chunkCount == b.chunkCount && a.totalBytes == b.totalBytes && a.payloadCrc32 == b.payloadCrc32
      && a.baseFingerprint == b.baseFingerprint && a.depth == b.depth && a.timesteps == b.timesteps
      && a.width == b.width && a.codec == b.codec && a.sampleCount == b.sampleCount && a.classes == b.classes
  }

  private mutating func refuse(_ key: String, _ reason: String, _ detail: String) -> Outcome {
    discard(key)
    return .refused(reason: reason, detail: detail)
  }

  /// Forgets a partial shard and its bytes; an emptied table drops its storage too (a
  /// dictionary keeps its capacity after removals).
  private mutating func discard(_ key: String) {
    guard let entry = partial.removeValue(forKey: key) else { return }
    pendingBytes -= entry.held
    if partial.isEmpty { partial = [:] }
  }

  /// Remembers the last 1024 completed shards so re-publications are recognised.
  private mutating func remember(_ key: String) {
    completed.append(key)
    completedSet.insert(key)
    if completed.count > 1024 { completedSet.remove(completed.removeFirst()) }
  }
}
