import Foundation
import Learner
import Proto
import Storage

/// A whole replay shard: the encoded latents of one or more classes at the injection depth,
/// with what a peer needs to check them against its own frozen base and learn from them.
/// On the wire it travels as `ReplayShard` chunks (`chunks(maxChunkBytes:)`, `ShardAssembler`).
public struct ReplayShardContent: Sendable, Equatable {
  /// Namespace of the publisher.
  public var node: String
  /// Shard id, unique per publisher.
  public var shardID: String
  /// Classes the shard carries.
  public var classes: ClassMap
  /// Injection depth d of the latents.
  public var depth: Int
  /// Time steps T per latent.
  public var timesteps: Int
  /// Units per step at depth d.
  public var width: Int
  /// Replay codec name of every encoded sample.
  public var codec: String
  /// The publisher's base-model fingerprint.
  public var baseFingerprint: String
  /// The publisher's model version after learning the classes.
  public var modelVersion: UInt64
  /// Encoded samples (codec bytes, header included), in payload order.
  public var samples: [[UInt8]]
  /// Class id of each sample.
  public var labels: [Int]

  public init(
    node: String, shardID: String, classes: ClassMap, depth: Int, timesteps: Int, width: Int, codec: String,
    baseFingerprint: String, modelVersion: UInt64, samples: [[UInt8]], labels: [Int]
  ) {
    self.node = node
    self.shardID = shardID
    self.classes = classes
    self.depth = depth
    self.timesteps = timesteps
    self.width = width
    self.codec = codec
    self.baseFingerprint = baseFingerprint
    self.modelVersion = modelVersion
    self.samples = samples
    self.labels = labels
  }

  /// The shard of `classes` taken from `buffer` (bytes as stored, no re-encoding).
  public init(buffer: ReplayBuffer, classes: ClassMap, node: String, modelVersion: UInt64, baseFingerprint: String) throws {
    var samples: [[UInt8]] = []
    var labels: [Int] = []
    for id in classes.ids {
      for index in 0..<buffer.sampleCount(ofClass: id) {
        samples.append(try buffer.encoded(ofClass: id, index: index))
        labels.append(id)
      }
    }
    let names = classes.ids.map { "\($0)" }.joined(separator: "+")
    self.init(
      node: node, shardID: "\(node):v\(modelVersion):\(names)", classes: classes, depth: buffer.depth,
      timesteps: buffer.timesteps, width: buffer.units, codec: buffer.codec.name, baseFingerprint: baseFingerprint,
      modelVersion: modelVersion, samples: samples, labels: labels)
  }

  /// Bytes of the encoded samples (the payload).
  public var payloadBytes: Int { samples.reduce(0) { $0 + $1.count } }

  /// Decodes every sample and checks it against the shard's metadata: depth, shape and label.
  public func latents() throws -> [LatentSample] {
    // The continual phases' codec names: the Replay module's codecs and float32.
    let codec: LatentCodec
    do { codec = try LatentCodec.named(self.codec) } catch {
      throw SwarmError.badShard(reason: "shard_malformed", detail: "\(shardID): \(error)")
    }
    return try zip(samples, labels).enumerated().map { index, pair in
      let sample: LatentSample
      do { sample = try codec.decode(pair.0) } catch {
        throw SwarmError.badShard(reason: "shard_malformed", detail: "\(shardID): sample \(index): \(error)")
      }
      guard sample.depth == depth, sample.timesteps == timesteps, sample.width == width, sample.label == pair.1 else {
        throw SwarmError.badShard(
          reason: "shard_malformed",
          detail: "\(shardID): sample \(index) is d=\(sample.depth) \(sample.timesteps)x\(sample.width) class \(sample.label ?? -1), the shard says d=\(depth) \(timesteps)x\(width) class \(pair.1)")
      }
      return sample
    }
  }

  /// The shard as wire chunks of at most `maxChunkBytes` payload each (at least one chunk);
  /// every chunk repeats the metadata and the CRC-32 of the whole payload, chunk 0 also
  /// carries the per-sample lengths and labels.
  public func chunks(maxChunkBytes: Int) -> [R4ncl_V1_ReplayShard] {
    let payload = samples.flatMap { $0 }
    let size = max(1, maxChunkBytes)
    let count = max(1, (payload.count + size - 1) / size)
    let crc = CRC32.checksum(payload)
    return (0..<count).map { index in
      var chunk = R4ncl_V1_ReplayShard()
      chunk.node = node
      chunk.shardID = shardID
      chunk.classes = classes.entries
      chunk.depth = UInt32(depth)
      chunk.timesteps = UInt32(timesteps)
      chunk.width = UInt32(width)
      chunk.codec = codec
      chunk.baseFingerprint = baseFingerprint
      chunk.sampleCount = UInt32(samples.count)
      chunk.chunkIndex = UInt32(index)
      chunk.chunkCount = UInt32(count)
      chunk.totalBytes = UInt64(payload.count)
      chunk.payloadCrc32 = crc
      chunk.modelVersion = modelVersion
      let start = index * size
      chunk.payload = Data(payload[start..<min(start + size, payload.count)])
      if index == 0 {
        chunk.sampleLabels = labels.map { Int32($0) }
        chunk.sampleBytes = samples.map { UInt32($0.count) }
      }
      return chunk
    }
  }
}
