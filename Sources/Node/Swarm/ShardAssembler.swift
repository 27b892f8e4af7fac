import Foundation
import Proto
import Storage

/// Reassembles replay shards from their chunks. A shard is complete only when every chunk
/// index arrived with the same metadata, the bytes add up to `total_bytes` and the CRC-32 of
/// the concatenated payload matches; anything else is refused with a reason, and a shard
/// whose chunks stop arriving expires after `timeout` seconds. Only complete shards come out,
/// so a torn or corrupted shard can never be learned from. Used by the I/O thread only.
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
    var first: R4ncl_V1_ReplayShard
    var parts: [Int: Data] = [:]
    var bytes = 0
    var started: Double
  }

  /// Most chunks one shard may have.
  public var maxChunks = 65_536
  /// Largest reassembled payload, bytes.
  public var maxShardBytes: Int
  /// Seconds a partial shard waits for its missing chunks.
  public var timeout: Double
  private var partial: [String: Partial] = [:]
  private var completed: [String] = []
  private var completedSet: Set<String> = []

  public init(maxShardBytes: Int, timeout: Double) {
    self.maxShardBytes = maxShardBytes
    self.timeout = timeout
  }

  /// Shards waiting for chunks.
  public var pendingCount: Int { partial.count }

  /// Takes one chunk received at `now` (monotonic seconds).
  public mutating func add(_ chunk: R4ncl_V1_ReplayShard, now: Double) -> Outcome {
    let key = chunk.node + "\u{0}" + chunk.shardID
    if completedSet.contains(key) { return .duplicate }
    let count = Int(chunk.chunkCount), index = Int(chunk.chunkIndex)
    guard !chunk.shardID.isEmpty, count >= 1, count <= maxChunks, index < count else {
      return refuse(key, "shard_malformed", "\(chunk.shardID): chunk \(index) of \(count)")
    }
    guard chunk.totalBytes <= UInt64(maxShardBytes) else {
      return refuse(key, "shard_oversized", "\(chunk.shardID): \(chunk.totalBytes) bytes > \(maxShardBytes)")
    }
    var entry = partial[key] ?? Partial(first: chunk, started: now)
    guard Self.sameShard(entry.first, chunk) else {
      return refuse(key, "shard_torn", "\(chunk.shardID): chunk \(index) disagrees with the shard's other chunks")
    }
    if entry.parts[index] != nil { return .duplicate }
    if index == 0 { entry.first = chunk }
    entry.parts[index] = chunk.payload
    entry.bytes += chunk.payload.count
    guard UInt64(entry.bytes) <= chunk.totalBytes else {
      return refuse(key, "shard_torn", "\(chunk.shardID): chunks hold more than total_bytes \(chunk.totalBytes)")
    }
    guard entry.parts.count == count else {
      partial[key] = entry
      return .partial
    }
    partial[key] = nil
    var payload = Data(capacity: entry.bytes)
    for i in 0..<count { payload.append(entry.parts[i]!) }
    guard payload.count == Int(chunk.totalBytes) else {
      return refuse(key, "shard_torn", "\(chunk.shardID): \(payload.count) bytes, total_bytes says \(chunk.totalBytes)")
    }
    guard CRC32.checksum(payload) == chunk.payloadCrc32 else {
      return refuse(key, "shard_crc_mismatch", "\(chunk.shardID): payload CRC-32 differs from the publisher's")
    }
    let head = entry.first
    let lengths = head.sampleBytes.map(Int.init)
    guard lengths.count == Int(head.sampleCount), head.sampleLabels.count == lengths.count,
      lengths.reduce(0, +) == payload.count
    else {
      return refuse(key, "shard_malformed", "\(chunk.shardID): sample lengths/labels do not split the payload")
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
    for key in old.keys { partial[key] = nil }
    return old.values.map { "\($0.first.node)/\($0.first.shardID) (\($0.parts.count) of \($0.first.chunkCount) chunks)" }.sorted()
  }

  /// Chunks of one shard must agree on everything but their index and payload.
  static func sameShard(_ a: R4ncl_V1_ReplayShard, _ b: R4ncl_V1_ReplayShard) -> Bool {
    a.chunkCount == b.chunkCount && a.totalBytes == b.totalBytes && a.payloadCrc32 == b.payloadCrc32
      && a.baseFingerprint == b.baseFingerprint && a.depth == b.depth && a.timesteps == b.timesteps
      && a.width == b.width && a.codec == b.codec && a.sampleCount == b.sampleCount && a.classes == b.classes
  }

  private mutating func refuse(_ key: String, _ reason: String, _ detail: String) -> Outcome {
    partial[key] = nil
    return .refused(reason: reason, detail: detail)
  }

  /// Remembers the last 1024 completed shards so re-publications are recognised.
  private mutating func remember(_ key: String) {
    completed.append(key)
    completedSet.insert(key)
    if completed.count > 1024 { completedSet.remove(completed.removeFirst()) }
  }
}
