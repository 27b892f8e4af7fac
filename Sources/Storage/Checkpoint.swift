import Foundation
import Learner

/// A model checkpoint: network (configuration, weights, thresholds), the per-layer firing
/// rates of pretraining, the class map, the continual settings (JSON) and optionally the replay
/// memory as encoded bytes + offsets + labels. Stored as HDF5 (see `CheckpointHDF5`).
public struct Checkpoint: Sendable {
  /// Phase after which it was written ("pretrain", "prepare", "learn").
  public var phase: String
  /// Method name (e.g. "replay4ncl").
  public var method: String
  public var network: Network
  /// Per-layer firing rates of the pretrained model (adaptive-threshold targets).
  public var layerRates: [Double]
  /// Class names: of class `classIDs[i]`, or of class i when `classIDs` is nil.
  public var classNames: [String]
  /// Class ids of `classNames` when the known classes are not 0..<count (a node that learned
  /// class 19 after classes 0-17), nil for consecutive ids.
  public var classIDs: [Int]?
  /// Model version (a node's count of learned updates; 0 when not versioned).
  public var modelVersion: UInt64
  /// The continual settings as JSON (empty when none).
  public var settingsJSON: String
  /// The replay memory, if any.
  public var replay: CheckpointReplay?
  /// Namespace of the node that wrote it ("" when not a node's).
  public var node = ""
  /// The writer's fingerprint of the frozen base (a node's `baseFingerprint`: swarm peers and
  /// restarted nodes compare it; "" when unknown).
  public var baseFingerprint = ""

  public init(
    phase: String, method: String, network: Network, layerRates: [Double], classNames: [String],
    settingsJSON: String = "", replay: CheckpointReplay? = nil, classIDs: [Int]? = nil, modelVersion: UInt64 = 0
  ) {
    self.classIDs = classIDs
    self.modelVersion = modelVersion
    self.phase = phase
    self.method = method
    self.network = network
    self.layerRates = layerRates
    self.classNames = classNames
    self.settingsJSON = settingsJSON
    self.replay = replay
  }
}

/// The replay memory in a checkpoint: entry i is `bytes[offsets[i] ..< offsets[i + 1]]` of class
/// `labels[i]`, encoded with `codec` at `depth` and `timesteps`.
public struct CheckpointReplay: Sendable, Equatable {
  public var codec: String
  public var depth: Int
  public var timesteps: Int
  public var bytes: [UInt8]
  public var offsets: [Int64]
  public var labels: [Int32]

  public init(codec: String, depth: Int, timesteps: Int, bytes: [UInt8], offsets: [Int64], labels: [Int32]) {
    self.codec = codec
    self.depth = depth
    self.timesteps = timesteps
    self.bytes = bytes
    self.offsets = offsets
    self.labels = labels
  }

  /// From a continual replay store.
  public init(_ store: ReplayStore) {
    let f = store.flattened()
    self.init(codec: store.codec.name, depth: store.depth, timesteps: store.timesteps, bytes: f.bytes, offsets: f.offsets, labels: f.labels)
  }

  /// Back to a replay store (the codec is looked up by name).
  public func store() throws -> ReplayStore {
    var s = ReplayStore(codec: try LatentCodec.named(codec), depth: depth, timesteps: timesteps)
    for i in labels.indices { s.addEncoded(Array(bytes[Int(offsets[i])..<Int(offsets[i + 1])]), label: Int(labels[i])) }
    return s
  }
}
